import { MemoryChannelScheduleStore } from './memory-channel-schedule-store.js';
import { MemoryDeliveryLog } from './memory-delivery-log.js';
import { MemoryDestinationStore } from './memory-destination-store.js';
import { MemoryFollowBook } from './memory-follow-book.js';
import { MemoryItemNumbers } from './memory-item-numbers.js';
import { MemoryPlatformGate } from './memory-platform-gate.js';
import { MemoryPlatformStatusStore } from './memory-platform-status-store.js';
import { MemoryPlatformWorkerStore } from './memory-platform-worker-store.js';
import { MemoryPostArchive } from './memory-post-archive.js';
import { MemoryReleaseClaims } from './memory-release-claims.js';
import { MemorySentMessageStore } from './memory-sent-message-store.js';
import { MemorySourceRegistry } from './memory-source-registry.js';
import { MemorySourceStateStore } from './memory-source-state-store.js';
import { MemorySubscriptionStore } from './memory-subscription-store.js';
import { FakeClock } from './fake-clock.js';

export interface MemoryStoresOptions {
  /** The time of the stores' expiries and of new records (default: a fresh `FakeClock`). */
  clock?: FakeClock;
  /** How long a settled (post, channel) is remembered (default: a day). */
  deliveryRetentionMs?: number;
  /** How long the messages of a post's alerts are remembered (default: the port's). */
  sentMessageRetentionMs?: number;
  /** Feed identities remembered per source (default: the Redis store's). */
  maxSeenItems?: number;
}

/**
 * One deployment's stores in memory, sharing what their Redis adapters share (the registry,
 * the subscriptions and the schedules the delivery log reads; the data a purge deletes), on
 * one clock. What the composition root wires from Redis, for tests of the use-cases.
 */
export function memoryStores(options: MemoryStoresOptions = {}) {
  const clock = options.clock ?? new FakeClock();
  const book = new MemoryFollowBook();
  const archive = new MemoryPostArchive();
  const states = new MemorySourceStateStore();
  const itemNumbers = new MemoryItemNumbers(options.maxSeenItems);
  const schedules = new MemoryChannelScheduleStore();
  const platformStatus = new MemoryPlatformStatusStore(clock.epochMs);
  return {
    clock,
    archive,
    states,
    itemNumbers,
    registry: new MemorySourceRegistry(book, [archive, itemNumbers, states], clock.now),
    subscriptions: new MemorySubscriptionStore(book),
    schedules,
    deliveryLog: new MemoryDeliveryLog({
      book,
      schedules,
      clock: clock.epochMs,
      ...(options.deliveryRetentionMs !== undefined
        ? { retentionMs: options.deliveryRetentionMs }
        : {}),
    }),
    sentMessages: new MemorySentMessageStore(options.sentMessageRetentionMs, clock.epochMs),
    platformStatus,
    platformWorkers: new MemoryPlatformWorkerStore(),
    destinations: new MemoryDestinationStore({ clock: clock.epochMs }),
    releaseClaims: new MemoryReleaseClaims(clock.epochMs),
    platforms: new MemoryPlatformGate(platformStatus, clock.now),
  };
}

export type MemoryStores = ReturnType<typeof memoryStores>;
