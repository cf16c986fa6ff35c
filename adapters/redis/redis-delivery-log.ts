import type { Redis } from 'ioredis';
import type { DeliveryLog, DeliveryTarget } from '../../src/delivery-log.js';
import { channelKey, type ChannelRef } from '../../src/subscription.js';
import type { RedisKeys } from './redis-keys.js';

/** Long enough for any retry or re-run to find the record; short enough not to grow forever. */
const RECORD_TTL_SECONDS = 90 * 24 * 3600;

/**
 * Per post: a hash channel → time sent. Per (source, channel): a sorted set of the board
 * numbers still owed. Per channel: its last delivery.
 */
export class RedisDeliveryLog implements DeliveryLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async markPending(targets: readonly DeliveryTarget[]): Promise<void> {
    if (targets.length === 0) return;
    const tx = this.redis.pipeline();
    for (const target of targets) {
      const key = this.keys.pendingDeliveries(target.sourceId, channelKey(target.channel));
      tx.zadd(key, target.boardNo, String(target.boardNo));
      tx.expire(key, RECORD_TTL_SECONDS);
    }
    await tx.exec();
  }

  async pendingUpTo(sourceId: string, channel: ChannelRef, boardNo: number): Promise<number[]> {
    const key = this.keys.pendingDeliveries(sourceId, channelKey(channel));
    return (await this.redis.zrangebyscore(key, '-inf', boardNo)).map(Number);
  }

  async dropPending(sourceId: string, channel: ChannelRef, boardNo?: number): Promise<void> {
    const key = this.keys.pendingDeliveries(sourceId, channelKey(channel));
    if (boardNo === undefined) await this.redis.del(key);
    else await this.redis.zrem(key, String(boardNo));
  }

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
      .zrem(this.keys.pendingDeliveries(target.sourceId, field), String(target.boardNo))
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
