import { setTimeout as sleep } from 'node:timers/promises';
import { RedisChannelScheduleStore } from '../../adapters/redis/redis-channel-schedules.js';
import { RedisDeliveryLog } from '../../adapters/redis/redis-delivery-log.js';
import { RedisDestinationStore } from '../../adapters/redis/redis-destination-store.js';
import { TokenCipher } from '../../src/util/token-cipher.js';
import { RedisItemNumbers } from '../../adapters/redis/redis-item-numbers.js';
import { RedisKeys } from '../../adapters/redis/redis-keys.js';
import { RedisPlatformStatusStore } from '../../adapters/redis/redis-platform-status.js';
import { RedisPlatformWorkerStore } from '../../adapters/redis/redis-platform-workers.js';
import { RedisPostArchive } from '../../adapters/redis/redis-post-archive.js';
import { RedisReleaseClaims } from '../../adapters/redis/redis-release-claims.js';
import { RedisSentMessageStore } from '../../adapters/redis/redis-sent-messages.js';
import { RedisSourceRegistry } from '../../adapters/redis/redis-source-registry.js';
import { RedisSourceStateStore } from '../../adapters/redis/redis-source-state.js';
import { RedisSubscriptionStore } from '../../adapters/redis/redis-subscription-store.js';
import { connectTestRedis, type TestRedis } from '../support/redis.js';
import type { ContractStores, OpenStores } from './stores.js';

/** The key the contract's destinations are encrypted with. */
export const CONTRACT_KEY = Buffer.alloc(32, 7);

/** The Redis adapters under a key prefix of their own, plus the connection for Redis-only checks. */
export type RedisContractStores = ContractStores & { redis: TestRedis; keys: RedisKeys };

/** The Redis adapters, as the composition root wires them, on the test Redis. */
export const openRedisStores = async (
  options: Parameters<OpenStores>[0] = {},
): Promise<RedisContractStores> => {
  const redis = await connectTestRedis();
  const keys = new RedisKeys(redis.prefix);
  const client = redis.redis;
  return {
    redis,
    keys,
    archive: new RedisPostArchive(client, keys),
    states: new RedisSourceStateStore(client, keys),
    itemNumbers: new RedisItemNumbers(client, keys, options.maxSeenItems),
    registry: new RedisSourceRegistry(client, keys),
    subscriptions: new RedisSubscriptionStore(client, keys),
    schedules: new RedisChannelScheduleStore(client, keys),
    deliveryLog: new RedisDeliveryLog(client, keys, {
      retentionMs: options.deliveryRetentionMs ?? 86_400_000,
    }),
    sentMessages: new RedisSentMessageStore(client, keys, options.sentMessageRetentionMs),
    platformStatus: new RedisPlatformStatusStore(client, keys),
    platformWorkers: new RedisPlatformWorkerStore(client, keys),
    destinations: new RedisDestinationStore(client, keys, new TokenCipher(CONTRACT_KEY)),
    releaseClaims: new RedisReleaseClaims(client, keys),
    // Redis expires keys on its own clock: the only way to let time pass is to wait.
    elapse: (ms) => sleep(ms),
    close: () => redis.cleanup(),
  };
};
