import { channelScheduleStoreContract } from '../../contracts/channel-schedule-store.contract.js';
import { openRedisStores } from '../../contracts/redis-stores.js';

channelScheduleStoreContract('RedisChannelScheduleStore', openRedisStores);
