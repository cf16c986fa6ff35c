import { deliveryLogContract } from './delivery-log.contract.js';
import { openMemoryStores } from './stores.js';

deliveryLogContract('MemoryDeliveryLog', openMemoryStores);
