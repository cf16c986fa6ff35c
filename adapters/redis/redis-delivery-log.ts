import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ChannelTurn, DeliveryLog, DeliveryTarget } from '../../src/delivery-log.js';
import { channelKey, type ChannelRef } from '../../src/subscription.js';
import { CLOSE_CHANNEL, MARK_PENDING, OPEN_CHANNEL, RECORD_DELIVERED } from './delivery-scripts.js';
import type { RedisKeys } from './redis-keys.js';

/** Long enough for any retry or re-run to find the record; short enough not to grow forever. */
const RECORD_TTL_SECONDS = 90 * 24 * 3600;

interface DeliveryCommands {
  esgMarkPending(numberOfKeys: number, ...args: Array<string | number>): Promise<number>;
  esgOpenChannel(...args: Array<string | number>): Promise<string[]>;
  esgRecordDelivered(...args: Array<string | number>): Promise<number>;
  esgCloseChannel(...args: Array<string | number>): Promise<number>;
}

/**
 * Per post: a hash channel → time sent. Per (source, channel): a sorted set of the board
 * numbers still owed, and a lock that gives one worker at a time the channel's turn. Per
 * channel: its last delivery. The scripts are sent by SHA after their first use.
 */
export class RedisDeliveryLog implements DeliveryLog {
  private readonly commands: DeliveryCommands;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    if (!('esgOpenChannel' in redis)) {
      redis.defineCommand('esgMarkPending', { lua: MARK_PENDING });
      redis.defineCommand('esgOpenChannel', { numberOfKeys: 3, lua: OPEN_CHANNEL });
      redis.defineCommand('esgRecordDelivered', { numberOfKeys: 4, lua: RECORD_DELIVERED });
      redis.defineCommand('esgCloseChannel', { numberOfKeys: 1, lua: CLOSE_CHANNEL });
    }
    this.commands = redis as unknown as DeliveryCommands;
  }

  async markPending(targets: readonly DeliveryTarget[]): Promise<void> {
    for (let i = 0; i < targets.length; i += 250) {
      const batch = targets.slice(i, i + 250);
      const keys = batch.flatMap((t) => [
        this.keys.delivered(t.sourceId, t.boardNo),
        this.keys.pendingDeliveries(t.sourceId, channelKey(t.channel)),
      ]);
      const args = batch.flatMap((t) => [channelKey(t.channel), t.boardNo]);
      await this.commands.esgMarkPending(keys.length, ...keys, ...args, RECORD_TTL_SECONDS);
    }
  }

  async openChannel(target: DeliveryTarget, ttlMs: number): Promise<ChannelTurn> {
    const field = channelKey(target.channel);
    const turn = randomUUID();
    const [kind, ...owed] = await this.commands.esgOpenChannel(
      this.lockKey(target.channel),
      this.keys.subscriptions(),
      this.keys.pendingDeliveries(target.sourceId, field),
      turn,
      ttlMs,
      field,
      target.boardNo,
    );
    if (kind === 'busy' || kind === 'unsubscribed') return { kind };
    return { kind: 'open', turn, owed: owed.map(Number) };
  }

  async recordDelivered(target: DeliveryTarget, at: Date, releaseTurn = ''): Promise<void> {
    const field = channelKey(target.channel);
    await this.commands.esgRecordDelivered(
      this.keys.delivered(target.sourceId, target.boardNo),
      this.keys.pendingDeliveries(target.sourceId, field),
      this.keys.channelLastDelivery(),
      this.lockKey(target.channel),
      field,
      at.getTime(),
      RECORD_TTL_SECONDS,
      target.boardNo,
      JSON.stringify({ sourceId: target.sourceId, boardNo: target.boardNo, at: at.getTime() }),
      releaseTurn,
    );
  }

  async closeChannel(channel: ChannelRef, turn: string): Promise<void> {
    await this.commands.esgCloseChannel(this.lockKey(channel), turn);
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

  async lastDelivered(
    channel: ChannelRef,
  ): Promise<{ sourceId: string; boardNo: number; at: Date } | null> {
    const json = await this.redis.hget(this.keys.channelLastDelivery(), channelKey(channel));
    if (!json) return null;
    const record = JSON.parse(json) as { sourceId: string; boardNo: number; at: number };
    return { sourceId: record.sourceId, boardNo: record.boardNo, at: new Date(record.at) };
  }

  private lockKey(channel: ChannelRef): string {
    return this.keys.lock(`channel-${channelKey(channel)}`);
  }
}
