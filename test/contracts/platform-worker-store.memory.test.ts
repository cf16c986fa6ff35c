import { platformWorkerStoreContract } from './platform-worker-store.contract.js';
import { openMemoryStores } from './stores.js';

platformWorkerStoreContract('MemoryPlatformWorkerStore', openMemoryStores);
