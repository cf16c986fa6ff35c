import type { RedisClient } from './redis-connection.js';
import { channelKey, type ChannelRef, type Subscription } from '../../src/model/subscription.js';
import { type Platform } from '../../src/platforms/platform-registry.js';
import {
  type FollowOptions,
  type FollowOutcome,
  type SubscriptionStore,
  type UnfollowOutcome,
} from '../../src/ports/subscription-store.js';
import { tenantOf } from '../../src/model/tenant.js';
import { FOLLOW, UNFOLLOW } from './follow-scripts.js';
import type { RedisKeys } from './redis-keys.js';

type FollowCommand = (...args: string[]) => Promise<string>;

interface Commands {
  esgFollow: FollowCommand;
  esgUnfollow: FollowCommand;
}

const NO_LIMIT = '-1';

const REFUSALS: ReadonlySet<string> = new Set([
  'channel-full',
  'tenant-full',
  'sources-full',
  'unknown-source',
  'name-taken',
]);

/**
 * Subscriptions in one Redis hash per source, keyed by channel, with two indexes kept by the
 * same scripts: the sources each channel follows, and per tenant the chat-added sources its
 * channels follow (see `follow-scripts`).
 */
export class RedisSubscriptionStore implements SubscriptionStore {
  private readonly commands: Commands;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    if (!('esgFollow' in redis)) {
      redis.defineCommand('esgFollow', { numberOfKeys: 6, lua: FOLLOW });
      redis.defineCommand('esgUnfollow', { numberOfKeys: 6, lua: UNFOLLOW });
    }
    this.commands = redis as unknown as Commands;
  }

  async follow(
    sourceId: string,
    subscription: Subscription,
    options: FollowOptions = {},
  ): Promise<FollowOutcome> {
    const { platform, workspaceId, channelId, keywords, createdAt } = subscription;
    const limits = options.limits;
    const reply = await this.commands.esgFollow.call(
      this.redis,
      ...this.followKeys(sourceId, subscription),
      sourceId,
      channelKey(subscription),
      JSON.stringify({ platform, workspaceId, channelId, keywords, createdAt }),
      options.register ? JSON.stringify(options.register) : '',
      options.requireSource ? '1' : '0',
      limits ? String(limits.perChannel) : NO_LIMIT,
      limits ? String(limits.perTenant) : NO_LIMIT,
      limits ? String(limits.sources) : NO_LIMIT,
      platform,
    );
    if (REFUSALS.has(reply)) {
      return {
        kind: 'refused',
        reason: reply as Extract<FollowOutcome, { kind: 'refused' }>['reason'],
      };
    }
    return { kind: reply as 'updated' | 'followed' | 'registered' };
  }

  async subscribe(sourceId: string, subscription: Subscription): Promise<void> {
    await this.follow(sourceId, subscription);
  }

  async unsubscribe(
    sourceId: string,
    channel: ChannelRef,
    at: Date = new Date(),
  ): Promise<UnfollowOutcome> {
    const reply = await this.commands.esgUnfollow.call(
      this.redis,
      ...this.followKeys(sourceId, channel),
      sourceId,
      channelKey(channel),
      at.toISOString(),
      channel.platform,
    );
    return reply as UnfollowOutcome;
  }

  tenantSources(tenant: string): Promise<string[]> {
    return this.redis.hkeys(this.keys.tenantSources(tenant));
  }

  async countByPlatform(): Promise<Partial<Record<Platform, number>>> {
    const counts = await this.redis.hgetall(this.keys.platformSubscriptions());
    const byPlatform: Partial<Record<Platform, number>> = {};
    for (const [platform, count] of Object.entries(counts)) {
      byPlatform[platform as Platform] = Number(count);
    }
    return byPlatform;
  }

  followedBy(channel: ChannelRef): Promise<string[]> {
    return this.redis.smembers(this.keys.channelSources(channelKey(channel)));
  }

  async get(sourceId: string, channel: ChannelRef): Promise<Subscription | null> {
    const json = await this.redis.hget(this.keys.subscriptions(sourceId), channelKey(channel));
    return json ? (JSON.parse(json) as Subscription) : null;
  }

  async *scan(sourceId: string, batchSize = 1000): AsyncIterable<Subscription[]> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(
        this.keys.subscriptions(sourceId),
        cursor,
        'COUNT',
        batchSize,
      );
      cursor = next;
      const batch: Subscription[] = [];
      for (let i = 1; i < flat.length; i += 2) batch.push(JSON.parse(flat[i]!) as Subscription);
      if (batch.length > 0) yield batch;
    } while (cursor !== '0');
  }

  count(sourceId: string): Promise<number> {
    return this.redis.hlen(this.keys.subscriptions(sourceId));
  }

  async following(
    channel: ChannelRef,
    sourceIds: readonly string[],
  ): Promise<Array<{ sourceId: string; subscription: Subscription }>> {
    if (sourceIds.length === 0) return [];
    const field = channelKey(channel);
    const tx = this.redis.pipeline();
    for (const sourceId of sourceIds) tx.hget(this.keys.subscriptions(sourceId), field);
    const results = (await tx.exec()) ?? [];
    return sourceIds.flatMap((sourceId, i) => {
      const json = results[i]?.[1];
      return typeof json === 'string'
        ? [{ sourceId, subscription: JSON.parse(json) as Subscription }]
        : [];
    });
  }

  private followKeys(sourceId: string, channel: ChannelRef): string[] {
    return [
      this.keys.sources(),
      this.keys.releasedSources(),
      this.keys.subscriptions(sourceId),
      this.keys.channelSources(channelKey(channel)),
      this.keys.tenantSources(tenantOf(channel)),
      this.keys.platformSubscriptions(),
    ];
  }
}
