import type { RedisClient } from './redis-connection.js';
import {
  channelKey,
  type ChannelRef,
  type Subscription,
  type SubscriptionStore,
} from '../../src/subscription.js';
import type { RedisKeys } from './redis-keys.js';

/** Subscriptions in one Redis hash per source, keyed by channel. */
export class RedisSubscriptionStore implements SubscriptionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async subscribe(sourceId: string, subscription: Subscription): Promise<void> {
    const { platform, workspaceId, channelId, keywords, createdAt } = subscription;
    await this.redis.hset(
      this.keys.subscriptions(sourceId),
      channelKey(subscription),
      JSON.stringify({ platform, workspaceId, channelId, keywords, createdAt }),
    );
  }

  async unsubscribe(sourceId: string, channel: ChannelRef): Promise<boolean> {
    return (await this.redis.hdel(this.keys.subscriptions(sourceId), channelKey(channel))) > 0;
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
}
