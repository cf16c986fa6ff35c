import { channelKey, type ChannelRef, type Subscription } from '../../src/model/subscription.js';
import type { Platform } from '../../src/platforms/platform-registry.js';
import { tenantOf } from '../../src/model/tenant.js';
import type {
  FollowOptions,
  FollowOutcome,
  SubscriptionStore,
  UnfollowOutcome,
} from '../../src/ports/subscription-store.js';
import { jsonCopy } from './json-copy.js';
import { MemoryFollowBook, type KeptRecord } from './memory-follow-book.js';

/**
 * Subscriptions in memory, with the port's semantics (see `subscription-store.contract.ts`).
 * Each follow and unfollow runs to its end without yielding, so, like the Redis scripts, a
 * limit is read and taken in one step however many follows race; the registry's records and
 * the follow indexes live in the shared {@link MemoryFollowBook}.
 */
export class MemorySubscriptionStore implements SubscriptionStore {
  constructor(readonly book = new MemoryFollowBook()) {}

  follow(
    sourceId: string,
    subscription: Subscription,
    options: FollowOptions = {},
  ): Promise<FollowOutcome> {
    return Promise.resolve(this.followNow(sourceId, subscription, options));
  }

  async subscribe(sourceId: string, subscription: Subscription): Promise<void> {
    await this.follow(sourceId, subscription);
  }

  unsubscribe(
    sourceId: string,
    channel: ChannelRef,
    at: Date = new Date(),
  ): Promise<UnfollowOutcome> {
    return Promise.resolve(this.unfollowNow(sourceId, channel, at));
  }

  tenantSources(tenant: string): Promise<string[]> {
    return Promise.resolve([...(this.book.tenantSources.get(tenant)?.keys() ?? [])]);
  }

  followedBy(channel: ChannelRef): Promise<string[]> {
    return Promise.resolve([...(this.book.channelSources.get(channelKey(channel)) ?? [])]);
  }

  countByPlatform(): Promise<Partial<Record<Platform, number>>> {
    return Promise.resolve(Object.fromEntries(this.book.platformCounts));
  }

  get(sourceId: string, channel: ChannelRef): Promise<Subscription | null> {
    const found = this.book.subscriptions.get(sourceId)?.get(channelKey(channel));
    return Promise.resolve(found ? jsonCopy(found) : null);
  }

  async *scan(sourceId: string, batchSize = 1000): AsyncIterable<Subscription[]> {
    // A snapshot, as a scan returns every subscription present from its start to its end.
    const all = [...(this.book.subscriptions.get(sourceId)?.values() ?? [])].map(jsonCopy);
    for (let i = 0; i < all.length; i += batchSize) {
      yield await Promise.resolve(all.slice(i, i + batchSize));
    }
  }

  count(sourceId: string): Promise<number> {
    return Promise.resolve(this.book.followerCount(sourceId));
  }

  following(
    channel: ChannelRef,
    sourceIds: readonly string[],
  ): Promise<Array<{ sourceId: string; subscription: Subscription }>> {
    const field = channelKey(channel);
    return Promise.resolve(
      sourceIds.flatMap((sourceId) => {
        const found = this.book.subscriptions.get(sourceId)?.get(field);
        return found ? [{ sourceId, subscription: jsonCopy(found) }] : [];
      }),
    );
  }

  /** The follow, checked and taken in one synchronous step (the Redis `FOLLOW` script's order). */
  private followNow(
    name: string,
    subscription: Subscription,
    { limits, register, requireSource }: FollowOptions,
  ): FollowOutcome {
    const { book } = this;
    const full = (limit: number | undefined, count: number) =>
      limit !== undefined && count >= limit;
    let record: KeptRecord | undefined = book.sources.get(name);
    let registering = false;
    if (record) {
      if (register && record.url !== register.url) return refused('name-taken');
    } else if (register) {
      const held = book.released.get(name);
      // In its grace period a released name stays its own URL's.
      if (held && held.url !== register.url) return refused('name-taken');
      record = jsonCopy(register);
      registering = true;
    } else if (requireSource) {
      return refused('unknown-source');
    }
    const chat = record?.origin === 'chat';
    const field = channelKey(subscription);
    const followers = book.followersOf(name);
    const channelSources = setIn(book.channelSources, field);
    const stored = storedSubscription(subscription);
    if (followers.has(field)) {
      followers.set(field, stored);
      channelSources.add(name);
      return { kind: 'updated' };
    }
    if (full(limits?.perChannel, channelSources.size)) return refused('channel-full');
    const tenant = mapIn(book.tenantSources, tenantOf(subscription));
    if (chat && !tenant.has(name) && full(limits?.perTenant, tenant.size)) {
      return refused('tenant-full');
    }
    if (registering) {
      if (full(limits?.sources, book.sources.size)) return refused('sources-full');
      book.sources.set(name, record!);
      book.released.delete(name);
    }
    followers.set(field, stored);
    channelSources.add(name);
    const { platform } = subscription;
    book.platformCounts.set(platform, (book.platformCounts.get(platform) ?? 0) + 1);
    if (chat) tenant.set(name, (tenant.get(name) ?? 0) + 1);
    return { kind: registering ? 'registered' : 'followed' };
  }

  /** The unfollow in one synchronous step (the Redis `UNFOLLOW` script's order). */
  private unfollowNow(name: string, channel: ChannelRef, at: Date): UnfollowOutcome {
    const { book } = this;
    const field = channelKey(channel);
    book.channelSources.get(field)?.delete(name);
    if (book.channelSources.get(field)?.size === 0) book.channelSources.delete(field);
    const followers = book.subscriptions.get(name);
    if (!followers?.delete(field)) return 'not-following';
    if (followers.size === 0) book.subscriptions.delete(name);
    const count = (book.platformCounts.get(channel.platform) ?? 0) - 1;
    if (count <= 0) book.platformCounts.delete(channel.platform);
    else book.platformCounts.set(channel.platform, count);
    const record = book.sources.get(name);
    if (!record || record.origin !== 'chat') return 'unfollowed';
    const tenantKey = tenantOf(channel);
    const tenant = book.tenantSources.get(tenantKey);
    const left = (tenant?.get(name) ?? 0) - 1;
    if (left <= 0) tenant?.delete(name);
    else tenant?.set(name, left);
    if (tenant?.size === 0) book.tenantSources.delete(tenantKey);
    if (followers.size > 0) return 'unfollowed';
    // The last follower of a chat-added source releases it, in the same step.
    book.released.set(name, { ...record, releasedAt: at.toISOString() });
    book.sources.delete(name);
    return 'released';
  }
}

function refused(reason: Extract<FollowOutcome, { kind: 'refused' }>['reason']): FollowOutcome {
  return { kind: 'refused', reason };
}

/** A subscription as stored: the channel, its keywords and when it began, nothing else. */
function storedSubscription(subscription: Subscription): Subscription {
  const { platform, workspaceId, channelId, keywords, createdAt } = subscription;
  return jsonCopy({ platform, workspaceId, channelId, keywords, createdAt });
}

function setIn<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}

function mapIn<K, K2, V>(map: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}
