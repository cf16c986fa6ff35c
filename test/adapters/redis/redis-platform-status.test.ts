import { platformStatusStoreContract } from '../../contracts/platform-status-store.contract.js';
import { openRedisStores } from '../../contracts/redis-stores.js';

platformStatusStoreContract('RedisPlatformStatusStore', openRedisStores);
