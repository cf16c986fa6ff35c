import { channelScheduleStoreContract } from './channel-schedule-store.contract.js';
import { openMemoryStores } from './stores.js';

channelScheduleStoreContract('MemoryChannelScheduleStore', openMemoryStores);
