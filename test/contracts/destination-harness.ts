import type { DestinationFormat } from '../../adapters/destinations/destination-format.js';
import { DestinationNotifier } from '../../adapters/destinations/destination-notifier.js';
import { DESTINATION_WORKSPACE } from '../../src/model/destination.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import type { Platform } from '../../src/platforms/platform-registry.js';
import { MemoryDestinationStore } from '../doubles/memory-destination-store.js';
import type { FakeWebhookServer } from '../support/fake-webhook-server.js';
import type { NotifierHarness } from './notifier.contract.js';

/**
 * The real `DestinationNotifier` with a platform's format against its fake, each harness
 * channel a hook of the fake kept in a `MemoryDestinationStore`. Private addresses are allowed
 * (the fake is on 127.0.0.1); the per-destination spacing is left out, as the contract wants
 * every request to reach the platform. The fake's clock stands still except that each request
 * comes `spacingMs` after the one before, as that spacing keeps them in production: a second
 * message to a hook is never refused for being a second one.
 */
export function destinationHarness(options: {
  platform: Platform;
  format: DestinationFormat;
  fake: () => FakeWebhookServer<unknown>;
  spacingMs: number;
  /** How the platform says the hook was deleted (404 or 410) and that access is gone (401, 403). */
  gone: number;
  noAccess: number;
}): NotifierHarness {
  let fake: FakeWebhookServer<unknown>;
  let store: MemoryDestinationStore;
  let clock = 0;
  let names = 0;
  const hooks = new Map<string, string>();
  const hookOf = (channel: ChannelRef) => {
    const url = hooks.get(channel.channelId);
    if (!url) throw new Error(`${channel.channelId} is no channel of this harness`);
    return url;
  };
  return {
    async start() {
      fake = await options.fake().start();
      clock = Date.UTC(2026, 11, 7, 1);
      fake.now = () => {
        const at = clock;
        clock += options.spacingMs;
        return at;
      };
      store = new MemoryDestinationStore();
      return new DestinationNotifier({
        platform: options.platform,
        format: options.format,
        store,
        timeoutMs: 5_000,
        allowPrivate: true,
      });
    },
    close: () => fake.close(),
    channel() {
      const channel = {
        platform: options.platform,
        workspaceId: DESTINATION_WORKSPACE,
        channelId: `hook-${++names}`,
      };
      const url = fake.addHook();
      hooks.set(channel.channelId, url);
      // The memory store keeps it at once (its promise is already settled).
      void store.put(channel, { url, secret: null }, new Date(clock));
      return channel;
    },
    // A webhook names no message by an id of the platform's.
    shown: (channel) => fake.shown(hookOf(channel)).map((message) => ({ id: null, ...message })),
    unsafe: (channel) => fake.hazards(hookOf(channel)),
    requests: (channel) =>
      fake.requests(hookOf(channel)).map(({ at, retryAfterMs }) => ({ at, retryAfterMs })),
    faults: {
      'channel-gone': (channel) => fake.faults.set(hookOf(channel), { status: options.gone }),
      'no-access': (channel) => fake.faults.set(hookOf(channel), { status: options.noAccess }),
      // The platform's credential is the key the URLs are sealed with.
      'token-refused': () => store.loseKey(),
      'rate-limited': (channel) =>
        fake.rateLimits.set(hookOf(channel), { remaining: 1, retryAfterMs: 30_000 }),
      'rendering-refused': (channel) => fake.faults.set(hookOf(channel), 'rendering-refused'),
      'too-large': (channel) => fake.faults.set(hookOf(channel), 'too-large'),
      'server-error': (channel) => fake.faults.set(hookOf(channel), { status: 503 }),
      'network-error': (channel) => fake.faults.set(hookOf(channel), 'reset'),
    },
    waitOut(ms) {
      clock += ms;
      return Promise.resolve();
    },
    missingMessageId: 'never-delivered',
    supports: {
      // `send` returns the delivery id, a reference of the bot's own: the platform has none.
      messageIds: false,
      inPlaceEdits: false,
      correctionFollowUps: true,
      dedupesRetries: false,
      neverFails: false,
      // The credential is the key the URLs are sealed with: a refused one sends nothing.
      credentialsCheckedLocally: true,
    },
  };
}
