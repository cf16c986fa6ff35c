import { destinationStoreContract } from './destination-store.contract.js';
import { openMemoryStores } from './stores.js';

destinationStoreContract('MemoryDestinationStore', openMemoryStores);
