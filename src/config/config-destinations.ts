import { parseEncryptionKey } from '../util/token-cipher.js';
import { duration, flag } from './config-values.js';
import { platformSection, type PlatformSection } from './platform-section.js';

/**
 * What every webhook destination platform (Teams, JANDI, Dooray!, signed webhooks) reads: they
 * need no token of the bot's own, only the key that keeps their URLs and secrets encrypted in
 * Redis: every process with `TOKEN_ENCRYPTION_KEY` is configured for them.
 */
const DESTINATION_VARIABLES = {
  ALLOW_PRIVATE_DESTINATIONS: flag.default(false),
  DESTINATION_TIMEOUT: duration('DESTINATION_TIMEOUT', 100).default(10_000),
};

export interface DestinationPlatformConfig {
  /** `TOKEN_ENCRYPTION_KEY`: without it the platform is not configured. */
  encryptionKey: Buffer;
  /** Plain HTTP and private addresses accepted (local relays and tests). */
  allowPrivate: boolean;
  /** How long one POST to a destination may take, its answer included. */
  timeoutMs: number;
  /** The least time between two messages to one destination (the platform's per-URL limit). */
  spacingMs: number;
}

/**
 * A destination platform's section: the shared variables, and the spacing its documentation
 * (or, where it documents none, prudence) asks between two messages to one URL.
 */
export function destinationSection(options: {
  spacingMs: number;
}): PlatformSection<typeof DESTINATION_VARIABLES, DestinationPlatformConfig> {
  return platformSection({
    variables: DESTINATION_VARIABLES,
    // No key, no destinations: none can be added or read, so no worker waits for them.
    read: (e): DestinationPlatformConfig | null => {
      const key = e['TOKEN_ENCRYPTION_KEY'];
      if (typeof key !== 'string') return null;
      return {
        encryptionKey: parseEncryptionKey(key),
        allowPrivate: e.ALLOW_PRIVATE_DESTINATIONS,
        timeoutMs: e.DESTINATION_TIMEOUT,
        spacingMs: options.spacingMs,
      };
    },
    // Each destination is its own URL with its own limit (the per-destination spacing); the
    // platforms state no limit across URLs.
    deliveryRate: () => null,
  });
}
