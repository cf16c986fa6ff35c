import { openRedisStores } from '../../contracts/redis-stores.js';
import { sentMessageStoreContract } from '../../contracts/sent-message-store.contract.js';

sentMessageStoreContract('RedisSentMessageStore', openRedisStores);
