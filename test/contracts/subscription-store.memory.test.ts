import { openMemoryStores } from './stores.js';
import { subscriptionStoreContract } from './subscription-store.contract.js';

subscriptionStoreContract('MemorySubscriptionStore', openMemoryStores);
