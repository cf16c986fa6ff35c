import { sourceStateStoreContract } from './source-state-store.contract.js';
import { openMemoryStores } from './stores.js';

sourceStateStoreContract('MemorySourceStateStore', openMemoryStores);
