import { platformStatusStoreContract } from './platform-status-store.contract.js';
import { openMemoryStores } from './stores.js';

platformStatusStoreContract('MemoryPlatformStatusStore', openMemoryStores);
