import { itemNumbersContract } from './item-numbers.contract.js';
import { openMemoryStores } from './stores.js';

itemNumbersContract('MemoryItemNumbers', openMemoryStores);
