import { afterEach, beforeEach } from 'vitest';
import type { ChannelScheduleStore } from '../../src/ports/channel-schedule-store.js';
import type { DeliveryLog } from '../../src/ports/delivery-log.js';
import type { DestinationStore } from '../../src/ports/destination-store.js';
import type { ItemNumbers } from '../../src/ports/item-numbers.js';
import type { PlatformStatusStore } from '../../src/ports/platform-status-store.js';
import type { PlatformWorkerStore } from '../../src/ports/platform-worker-store.js';
import type { PostArchive } from '../../src/ports/post-archive.js';
import type { ReleaseClaims } from '../../src/ports/release-claims.js';
import type { SentMessageStore } from '../../src/ports/sent-message-store.js';
import type { SourceRegistry } from '../../src/ports/source-registry.js';
import type { SourceStateStore } from '../../src/ports/source-state-store.js';
import type { SubscriptionStore } from '../../src/ports/subscription-store.js';
import { memoryStores } from '../doubles/memory-stores.js';

/**
 * One deployment's stores as the port contracts see them: the same set whether they are the
 * Redis adapters or the memory doubles, so one contract checks both.
 */
export interface ContractStores {
  archive: PostArchive;
  states: SourceStateStore;
  itemNumbers: ItemNumbers;
  registry: SourceRegistry;
  subscriptions: SubscriptionStore;
  schedules: ChannelScheduleStore;
  deliveryLog: DeliveryLog;
  sentMessages: SentMessageStore;
  platformStatus: PlatformStatusStore;
  platformWorkers: PlatformWorkerStore;
  destinations: DestinationStore;
  releaseClaims: ReleaseClaims;
  /**
   * Lets `ms` pass for what the stores expire by themselves (a channel's turn, a settled
   * post, a probe's turn): real time for Redis, whose clock is its own; the clock otherwise.
   */
  elapse(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Settings a contract chooses small, to see an expiry or a bound without waiting long. */
export interface ContractStoreOptions {
  deliveryRetentionMs?: number;
  sentMessageRetentionMs?: number;
  maxSeenItems?: number;
}

export type OpenStores = (options?: ContractStoreOptions) => Promise<ContractStores>;

/** The memory doubles, on a clock `elapse` moves. */
export const openMemoryStores: OpenStores = (options = {}) => {
  const stores = memoryStores(options);
  return Promise.resolve({
    ...stores,
    elapse: (ms) => Promise.resolve(stores.clock.advance(ms)),
    close: () => Promise.resolve(),
  });
};

/**
 * Opens fresh stores before each test of the calling `describe` and closes them after;
 * returns the getter of the current ones.
 */
export function useStores(open: OpenStores, options?: ContractStoreOptions): () => ContractStores {
  let stores: ContractStores | undefined;
  beforeEach(async () => {
    stores = await open(options);
  });
  afterEach(async () => {
    await stores?.close();
    stores = undefined;
  });
  return () => {
    if (!stores) throw new Error('the stores are open only inside a test');
    return stores;
  };
}
