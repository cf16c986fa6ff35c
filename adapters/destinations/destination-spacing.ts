import { channelKey, type ChannelRef } from '../../src/model/subscription.js';
import type { RedisClient } from '../redis/redis-connection.js';
import type { RedisKeys } from '../redis/redis-keys.js';

/**
 * The least time between two messages to one destination, and the wait a 429 asked for,
 * kept in one Redis key per destination (on Redis's clock, shared by every worker): a
 * destination's limit is its own URL's, so one never waits for another.
 */
export class DestinationSpacing {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly spacingMs: number,
  ) {}

  /** 0 when a message may go now (its place is taken), else the milliseconds to wait. */
  async tryTake(channel: ChannelRef): Promise<number> {
    if (this.spacingMs <= 0) return 0;
    const key = this.keys.channelSendSpacing(channelKey(channel));
    if ((await this.redis.set(key, '1', 'PX', this.spacingMs, 'NX')) === 'OK') return 0;
    return Math.max(1, await this.redis.pttl(key));
  }

  /** The destination answered 429: nothing more goes there for `ms`. */
  async hold(channel: ChannelRef, ms: number): Promise<void> {
    const key = this.keys.channelSendSpacing(channelKey(channel));
    await this.redis.set(key, '1', 'PX', Math.max(1, Math.ceil(ms)));
  }
}
