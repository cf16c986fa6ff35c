import { sentMessageStoreContract } from './sent-message-store.contract.js';
import { openMemoryStores } from './stores.js';

sentMessageStoreContract('MemorySentMessageStore', openMemoryStores);
