import type { DestinationPlatformConfig } from '../../src/config/config-destinations.js';
import type { Platform } from '../../src/platforms/platform-registry.js';
import { TokenCipher } from '../../src/util/token-cipher.js';
import type { PlatformModule } from '../platform-module.js';
import { RedisDestinationStore } from '../redis/redis-destination-store.js';
import type { DestinationFormat } from './destination-format.js';
import { DestinationNotifier } from './destination-notifier.js';
import { DestinationSpacing } from './destination-spacing.js';

/**
 * A webhook destination platform's module: its format is all that differs. Nobody types
 * commands there; the operator adds destinations with the CLI or the control panel.
 */
export function destinationPlatform(
  platform: Platform,
  format: DestinationFormat,
): PlatformModule<DestinationPlatformConfig> {
  return {
    open({ config, redis, keys, now }) {
      const cipher = new TokenCipher(config.encryptionKey);
      const notifier = new DestinationNotifier({
        platform,
        format,
        store: new RedisDestinationStore(redis, keys, cipher),
        timeoutMs: config.timeoutMs,
        allowPrivate: config.allowPrivate,
        spacing: new DestinationSpacing(redis, keys, config.spacingMs),
        ...(now ? { now } : {}),
      });
      return Promise.resolve({ notifier, testDestination: (channel) => notifier.test(channel) });
    },
  };
}
