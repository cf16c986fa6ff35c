import type { Redis } from 'ioredis';
import {
  channelKey,
  type ChannelRef,
  type Subscription,
  type SubscriptionStore,
} from '../../src/subscription.js';
import type { RedisKeys } from './redis-keys.js';

/** Subscriptions in one Redis hash, keyed by channel. */
export class RedisSubscriptionStore implements SubscriptionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async subscribe(subscription: Subscription): Promise<void> {
    await this.redis.hset(
      this.keys.subscriptions(),
      channelKey(subscription),
      JSON.stringify(subscription),
    );
  }

  async unsubscribe(channel: ChannelRef): Promise<boolean> {
    return (await this.redis.hdel(this.keys.subscriptions(), channelKey(channel))) > 0;
  }

  async get(channel: ChannelRef): Promise<Subscription | null> {
    const json = await this.redis.hget(this.keys.subscriptions(), channelKey(channel));
    return json ? (JSON.parse(json) as Subscription) : null;
  }

  async *scan(batchSize = 1000): AsyncIterable<Subscription[]> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(
        this.keys.subscriptions(),
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

  count(): Promise<number> {
    return this.redis.hlen(this.keys.subscriptions());
  }
}
