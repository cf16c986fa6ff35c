import { channelKey, type ChannelRef, type Subscription } from '../../src/model/subscription.js';
import type { Platform } from '../../src/platforms/platform-registry.js';
import type { ReleasedSource, SourceRecord } from '../../src/ports/source-registry.js';

/** A registry record as kept: configured sources carry their place in the configuration. */
export type KeptRecord = SourceRecord & { order?: number };

/**
 * What the source registry, the subscription store and the delivery log share, as their Redis
 * adapters share keys: the registered and released sources, each source's subscriptions, and
 * the follow indexes (each channel's sources, each tenant's chat-added sources with how many of
 * its channels follow them, each platform's count). One book per deployment under test.
 */
export class MemoryFollowBook {
  readonly sources = new Map<string, KeptRecord>();
  readonly released = new Map<string, ReleasedSource & { order?: number }>();
  /** Source → channel key → subscription. */
  readonly subscriptions = new Map<string, Map<string, Subscription>>();
  /** Channel key → the sources it follows. */
  readonly channelSources = new Map<string, Set<string>>();
  /** Tenant → chat-added source → how many of its channels follow it. */
  readonly tenantSources = new Map<string, Map<string, number>>();
  readonly platformCounts = new Map<Platform, number>();

  /** The source's subscriptions, created empty on first use. */
  followersOf(sourceId: string): Map<string, Subscription> {
    let followers = this.subscriptions.get(sourceId);
    if (!followers) {
      followers = new Map();
      this.subscriptions.set(sourceId, followers);
    }
    return followers;
  }

  /** Whether the channel follows the source now (read in the same step as a channel's turn). */
  isFollowing(sourceId: string, channel: ChannelRef): boolean {
    return this.subscriptions.get(sourceId)?.has(channelKey(channel)) ?? false;
  }

  followerCount(sourceId: string): number {
    return this.subscriptions.get(sourceId)?.size ?? 0;
  }
}
