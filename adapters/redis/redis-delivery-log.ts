import type { Redis } from 'ioredis';
import type { DeliveryLog, DeliveryTarget } from '../../src/delivery-log.js';
import { channelKey, type ChannelRef } from '../../src/subscription.js';
import type { RedisKeys } from './redis-keys.js';

/** Long enough for any retry or re-run to find the record; short enough not to grow forever. */
const RECORD_TTL_SECONDS = 90 * 24 * 3600;

/** One hash per post (channel → time sent), plus each channel's last delivery. */
export class RedisDeliveryLog implements DeliveryLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async wasDelivered(target: DeliveryTarget): Promise<boolean> {
    const key = this.keys.delivered(target.sourceId, target.boardNo);
    return (await this.redis.hexists(key, channelKey(target.channel))) === 1;
  }

  async recordDelivered(target: DeliveryTarget, at: Date): Promise<void> {
    const key = this.keys.delivered(target.sourceId, target.boardNo);
    const field = channelKey(target.channel);
    await this.redis
      .multi()
      .hset(key, field, at.getTime())
      .expire(key, RECORD_TTL_SECONDS)
      .hset(
        this.keys.channelLastDelivery(),
        field,
        JSON.stringify({ sourceId: target.sourceId, boardNo: target.boardNo, at: at.getTime() }),
      )
      .exec();
  }

  async lastDelivered(
    channel: ChannelRef,
  ): Promise<{ sourceId: string; boardNo: number; at: Date } | null> {
    const json = await this.redis.hget(this.keys.channelLastDelivery(), channelKey(channel));
    if (!json) return null;
    const record = JSON.parse(json) as { sourceId: string; boardNo: number; at: number };
    return { sourceId: record.sourceId, boardNo: record.boardNo, at: new Date(record.at) };
  }
}
