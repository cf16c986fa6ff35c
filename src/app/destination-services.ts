import { RedisDestinationStore } from '../../adapters/redis/redis-destination-store.js';
import type { RedisClient } from '../../adapters/redis/redis-connection.js';
import type { RedisKeys } from '../../adapters/redis/redis-keys.js';
import { checkDestinationUrl } from '../../adapters/destinations/destination-url.js';
import type { OpenPlatform } from '../../adapters/platform-module.js';
import { knownSources } from '../cli/known-sources.js';
import type { Config } from '../config/config.js';
import { DestinationService } from '../destinations/destination-service.js';
import type { ChannelRef } from '../model/subscription.js';
import { unsubscribeChannel } from '../pipeline/deliver/unsubscribe.js';
import type { Platform } from '../platforms/platform-registry.js';
import type { ChannelScheduleStore } from '../ports/channel-schedule-store.js';
import type { DeliveryLog } from '../ports/delivery-log.js';
import { DestinationKeyMissing } from '../ports/destination-store.js';
import { DeliveryError } from '../ports/notifier.js';
import type { SourceRegistry } from '../ports/source-registry.js';
import type { SubscriptionStore } from '../ports/subscription-store.js';
import { TokenCipher } from '../util/token-cipher.js';
import type { Logger } from '../util/logger.js';
import { loadPlatform } from './platforms.js';

export interface DestinationServiceWiring {
  redis: RedisClient;
  keys: RedisKeys;
  config: Pick<
    Config,
    | 'sources'
    | 'encryptionKey'
    | 'deliveryConcurrency'
    | 'probeIntervalMs'
    | 'trustProxy'
    | Platform
  >;
  registry: Pick<SourceRegistry, 'list'>;
  subscriptions: SubscriptionStore;
  schedules: ChannelScheduleStore;
  deliveryLog: DeliveryLog;
  logger: Logger;
}

/**
 * The destinations service on the Redis stores, for the CLI and the control panel. A test
 * alert opens the destination's platform module (no SDK: a few small files) on first use.
 */
export function buildDestinationService(wiring: DestinationServiceWiring): DestinationService {
  const { config } = wiring;
  const cipher = config.encryptionKey ? new TokenCipher(config.encryptionKey) : null;
  const store = new RedisDestinationStore(wiring.redis, wiring.keys, cipher);
  const sourceIds = async () =>
    (await knownSources({ registry: wiring.registry, configured: config.sources })).map(
      (source) => source.name,
    );
  const opened = new Map<Platform, Promise<OpenPlatform>>();
  const open = (platform: Platform): Promise<OpenPlatform> => {
    let module = opened.get(platform);
    if (!module) {
      module = loadPlatform(platform).then((loaded) =>
        loaded.open({
          config: config[platform],
          shared: {
            deliveryConcurrency: config.deliveryConcurrency,
            probeIntervalMs: config.probeIntervalMs,
            trustProxy: config.trustProxy,
          },
          redis: wiring.redis,
          keys: wiring.keys,
          logger: wiring.logger,
          options: {},
        }),
      );
      opened.set(platform, module);
    }
    return module;
  };
  const allowPrivate = (platform: Platform) =>
    (config[platform] as { allowPrivate?: boolean } | null)?.allowPrivate === true;
  return new DestinationService({
    store,
    subscriptions: wiring.subscriptions,
    schedules: wiring.schedules,
    deliveryLog: wiring.deliveryLog,
    sourceIds,
    resolveSource: async (name) => {
      const wanted = name ?? config.sources[0]?.name;
      return (await sourceIds()).find((id) => id === wanted) ?? null;
    },
    unsubscribeAll: async (channel: ChannelRef) => {
      await unsubscribeChannel(
        {
          subscriptions: wiring.subscriptions,
          deliveryLog: wiring.deliveryLog,
          schedules: wiring.schedules,
          sourceIds,
        },
        channel,
      );
    },
    // Every destination platform reads ALLOW_PRIVATE_DESTINATIONS alike; `teams` stands for all.
    checkUrl: async (url) => {
      // Without the key nothing can be added, and the platforms are not configured: their
      // ALLOW_PRIVATE_DESTINATIONS is unknown. Say what to fix first, not a rule of theirs.
      if (!config.encryptionKey) throw new DestinationKeyMissing();
      await checkDestinationUrl(url, { allowPrivate: allowPrivate('teams') });
    },
    sendTest: async (channel) => {
      if (config[channel.platform] === null) {
        // Not configured (no TOKEN_ENCRYPTION_KEY): no destination of it opens.
        throw new DeliveryError('unauthorized', new DestinationKeyMissing().message, {
          code: 'encryption-key',
        });
      }
      const platform = await open(channel.platform);
      if (!platform.testDestination) {
        throw new Error(`${channel.platform} has no destinations to test`);
      }
      return platform.testDestination(channel);
    },
  });
}
