import { sourceRegistryContract } from './source-registry.contract.js';
import { openMemoryStores } from './stores.js';

sourceRegistryContract('MemorySourceRegistry', openMemoryStores);
