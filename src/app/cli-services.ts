import { connectRedis, type RedisClient } from '../../adapters/redis/redis-connection.js';
import { RedisChannelScheduleStore } from '../../adapters/redis/redis-channel-schedules.js';
import { RedisDeliveryLog } from '../../adapters/redis/redis-delivery-log.js';
import { RedisKeys } from '../../adapters/redis/redis-keys.js';
import { RedisPlatformWorkerStore } from '../../adapters/redis/redis-platform-workers.js';
import { RedisPostArchive } from '../../adapters/redis/redis-post-archive.js';
import { RedisResend } from '../../adapters/redis/redis-resend.js';
import { RedisSourceRegistry } from '../../adapters/redis/redis-source-registry.js';
import { RedisSourceStateStore } from '../../adapters/redis/redis-source-state.js';
import { RedisSubscriptionStore } from '../../adapters/redis/redis-subscription-store.js';
import { PipelineQueues } from '../../jobs/queues.js';
import type { Config } from '../config/config.js';
import { servedPlatforms } from '../platforms/platform-workers.js';
import {
  PLATFORM_IDS,
  type Platform,
  type PlatformConfigs,
} from '../platforms/platform-registry.js';
import type { CliServices } from '../cli/program.js';
import { createLogger } from '../util/logger.js';
import { buildDestinationService } from './destination-services.js';

/**
 * The CLI's composition root, as `app.ts` is the bot's: the one file of `src/cli` that knows
 * the Redis stores and the queues. Built on one connection; closing closes the queues, not it.
 * Its type is the concrete one (tests reach the stores' writes); the commands see ports only.
 */
export function buildCliServices(
  redis: RedisClient,
  config: Pick<
    Config,
    | 'keyPrefix'
    | 'sources'
    | 'delivery'
    | 'encryptionKey'
    | 'deliveryConcurrency'
    | 'probeIntervalMs'
    | 'trustProxy'
    | Platform
  >,
) {
  const keys = new RedisKeys(config.keyPrefix);
  const queues = new PipelineQueues(redis, config.keyPrefix, {
    attempts: config.delivery.attempts,
    backoffMs: config.delivery.retryDelayMs,
    maxBackoffMs: config.delivery.retryMaxDelayMs,
  }).onError(() => undefined);
  const workers = new RedisPlatformWorkerStore(redis, keys);
  const registry = new RedisSourceRegistry(redis, keys);
  const subscriptions = new RedisSubscriptionStore(redis, keys);
  // For `subscriptions remove-platform` and `destinations remove`: what a channel leaving forgets.
  const deliveryLog = new RedisDeliveryLog(redis, keys, {
    retentionMs: config.delivery.recordRetentionMs,
  });
  const schedules = new RedisChannelScheduleStore(redis, keys);
  return {
    configured: config.sources,
    registry,
    states: new RedisSourceStateStore(redis, keys),
    archive: new RedisPostArchive(redis, keys),
    subscriptions,
    deliveries: new RedisResend(redis, keys),
    deliveryLog,
    schedules,
    queues,
    destinations: buildDestinationService({
      redis,
      keys,
      config,
      registry,
      subscriptions,
      schedules,
      deliveryLog,
      // Opening a destination platform logs nothing; the CLI prints its own results.
      logger: createLogger('silent'),
    }),
    // The source state store only moves cursors up (polls racing each other); an operator
    // may move one anywhere, so the field is written as is.
    cursors: {
      set: async (sourceId, boardNo) => {
        await redis.hset(keys.sourceState(sourceId), 'cursor', boardNo);
      },
    },
    platforms: configuredPlatforms(config),
    served: async () => servedPlatforms(await workers.lastSeen(), new Date()),
    close: () => queues.close(),
  } satisfies CliServices & { close(): Promise<void> };
}

/**
 * Connects to the configuration's Redis and builds the services on it; `close` ends both.
 * Commands fail instead of waiting for a Redis that goes away after the connection.
 */
export async function openCliServices(
  config: Config,
): Promise<CliServices & { close(): Promise<void> }> {
  const redis = await connectRedis(config, { maxRetriesPerRequest: 1, onError: () => undefined });
  const services = buildCliServices(redis, config);
  return {
    ...services,
    close: async () => {
      await services.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** The platforms this configuration's workers would deliver to (import warnings); the console always is one. */
function configuredPlatforms(config: PlatformConfigs): ReadonlySet<Platform> {
  return new Set(PLATFORM_IDS.filter((platform) => config[platform] !== null));
}
