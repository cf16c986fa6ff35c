import type { ChannelRef, Subscription } from '../model/subscription.js';
import type { Platform } from '../platforms/platform-registry.js';
import type { SourceRecord } from './source-registry.js';

/**
 * How many sources a follow may take, checked and taken in one atomic step, so concurrent
 * `/news 구독` from one channel or one workspace can never exceed them.
 */
export interface FollowLimits {
  /** Sources one channel may follow, configured and chat-added alike. */
  perChannel: number;
  /** Chat-added sources one tenant's channels may follow in all (see `tenantOf`). */
  perTenant: number;
  /** Sources the deployment reads in all: a new chat-added source must fit. */
  sources: number;
}

/** What a follow did, or why it was refused (nothing was written then). */
export type FollowOutcome =
  /** The channel followed the source already: its keywords were replaced. */
  | { kind: 'updated' }
  /** The channel now follows a source that was registered already. */
  | { kind: 'followed' }
  /** The source was registered by this follow (a new chat-added source, `register`). */
  | { kind: 'registered' }
  | {
      kind: 'refused';
      reason:
        | 'channel-full'
        | 'tenant-full'
        | 'sources-full'
        /** `requireSource` and the source is not (any more) registered. */
        | 'unknown-source'
        /** `register` under a name another URL holds (or held, in its grace period). */
        | 'name-taken';
    };

export interface FollowOptions {
  limits?: FollowLimits;
  /** Registers this chat-added source in the same step, when its name is free. */
  register?: SourceRecord;
  /** Refuse unless the source is registered (it may have been let go a moment ago). */
  requireSource?: boolean;
}

/** What an unfollow did. */
export type UnfollowOutcome =
  | 'not-following'
  | 'unfollowed'
  /** The last follower of a chat-added source left: it is released and must stop being read. */
  | 'released';

/**
 * Port: which channels follow which source, and with which keywords. Every change goes
 * through {@link follow} and {@link unsubscribe}, which keep the per-channel and per-tenant
 * indexes and the source registry consistent in one atomic step.
 */
export interface SubscriptionStore {
  /**
   * Makes the channel follow the source (or replaces its keywords), within `limits`. A
   * chat-added source is then visible to the channel's tenant.
   */
  follow(
    sourceId: string,
    subscription: Subscription,
    options?: FollowOptions,
  ): Promise<FollowOutcome>;
  /** {@link follow} without limits: the operator's and the bot's own subscriptions. */
  subscribe(sourceId: string, subscription: Subscription): Promise<void>;
  /**
   * Ends the channel's subscription. The last follower of a chat-added source releases it
   * (out of the registry, into its grace period), in the same step.
   */
  unsubscribe(sourceId: string, channel: ChannelRef, at?: Date): Promise<UnfollowOutcome>;
  /** The chat-added sources a tenant's channels follow: the ones it may see. */
  tenantSources(tenant: string): Promise<string[]>;
  /** The sources the channel follows. */
  followedBy(channel: ChannelRef): Promise<string[]>;
  /** How many (source, channel) subscriptions each platform has; absent: none. */
  countByPlatform(): Promise<Partial<Record<Platform, number>>>;
  get(sourceId: string, channel: ChannelRef): Promise<Subscription | null>;
  /**
   * A source's subscriptions, in batches, so a fan-out to thousands of channels never holds
   * them all at once. `batchSize` is a hint: a store may hand a small source's out whole.
   */
  scan(sourceId: string, batchSize?: number): AsyncIterable<Subscription[]>;
  count(sourceId: string): Promise<number>;
  /** The channel's subscription to each of `sourceIds` it follows, in that order. */
  following(
    channel: ChannelRef,
    sourceIds: readonly string[],
  ): Promise<Array<{ sourceId: string; subscription: Subscription }>>;
}
