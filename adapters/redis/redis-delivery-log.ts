import { randomUUID } from 'node:crypto';
import { parseSchedule } from './redis-channel-schedules.js';
import type { RedisClient } from './redis-connection.js';
import type {
  ChannelProblems,
  ChannelTurn,
  DeliveryLog,
  DeliveryTarget,
  OwingChannel,
  UndeliverableKind,
} from '../../src/ports/delivery-log.js';
import { channelKey, type ChannelRef } from '../../src/model/subscription.js';
import {
  CLOSE_CHANNEL,
  COUNT_PROBLEM,
  DROP_PENDING,
  MARK_PENDING,
  OPEN_CHANNEL,
  RENEW_CHANNEL,
  SETTLE,
} from './delivery-scripts.js';
import type { RedisKeys } from './redis-keys.js';

type Script = (...args: Array<string | number>) => Promise<unknown>;

interface DeliveryCommands {
  esgMarkPending(numberOfKeys: number, ...args: Array<string | number>): Promise<number>;
  esgOpenChannel: Script;
  esgRenewChannel: Script;
  esgSettle: Script;
  esgCountProblem: Script;
  esgDropPending: Script;
  esgCloseChannel: Script;
}

export interface RedisDeliveryLogOptions {
  /**
   * How long a settled (post, channel) is remembered. It only guards against a re-run of work
   * for that post (a retried fan-out or delivery), so it needs to outlast the longest retry,
   * not the post.
   */
  retentionMs: number;
}

/**
 * Per post: a bitmap of the channels it is settled in (one bit per channel, by the channel's
 * number). Per (source, channel): a sorted set of the board numbers still owed, indexed in one
 * `owing` hash for the sweep, and a lock that gives one worker at a time the channel's turn.
 * Per channel: its last delivery and its counts of undeliverable posts. The scripts are sent
 * by SHA after their first use.
 */
export class RedisDeliveryLog implements DeliveryLog {
  private readonly commands: DeliveryCommands;
  private readonly retentionSeconds: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    options: RedisDeliveryLogOptions,
  ) {
    this.retentionSeconds = Math.max(1, Math.ceil(options.retentionMs / 1000));
    if (!('esgSettle' in redis)) {
      redis.defineCommand('esgMarkPending', { lua: MARK_PENDING });
      redis.defineCommand('esgOpenChannel', { numberOfKeys: 5, lua: OPEN_CHANNEL });
      redis.defineCommand('esgRenewChannel', { numberOfKeys: 1, lua: RENEW_CHANNEL });
      redis.defineCommand('esgSettle', { numberOfKeys: 7, lua: SETTLE });
      redis.defineCommand('esgCountProblem', { numberOfKeys: 1, lua: COUNT_PROBLEM });
      redis.defineCommand('esgDropPending', { numberOfKeys: 2, lua: DROP_PENDING });
      redis.defineCommand('esgCloseChannel', { numberOfKeys: 1, lua: CLOSE_CHANNEL });
    }
    this.commands = redis as unknown as DeliveryCommands;
  }

  async markPending(targets: readonly DeliveryTarget[], at: Date): Promise<void> {
    for (let i = 0; i < targets.length; i += 250) {
      const batch = targets.slice(i, i + 250);
      const keys = [this.keys.channelIds(), this.keys.channelIdSequence(), this.keys.owing()];
      const args: Array<string | number> = [at.getTime()];
      for (const t of batch) {
        const field = channelKey(t.channel);
        keys.push(
          this.keys.settled(t.sourceId, t.boardNo),
          this.keys.pendingDeliveries(t.sourceId, field),
        );
        const owing = { sourceId: t.sourceId, channel: t.channel, since: at.getTime() };
        args.push(field, t.boardNo, owingField(t.sourceId, field), JSON.stringify(owing));
      }
      await this.commands.esgMarkPending(keys.length, ...keys, ...args);
    }
  }

  async openChannel(target: DeliveryTarget, ttlMs: number): Promise<ChannelTurn> {
    const field = channelKey(target.channel);
    const turn = randomUUID();
    const [kind, owing, schedule, ...owed] = (await this.commands.esgOpenChannel(
      this.lockKey(target.channel),
      this.keys.subscriptions(target.sourceId),
      this.keys.pendingDeliveries(target.sourceId, field),
      this.keys.owing(),
      this.keys.channelSchedules(),
      turn,
      ttlMs,
      field,
      target.boardNo,
      owingField(target.sourceId, field),
    )) as string[];
    if (kind === 'busy' || kind === 'unsubscribed') return { kind };
    const since = owing ? new Date((JSON.parse(owing) as { since: number }).since) : null;
    return {
      kind: 'open',
      turn,
      owed: owed.map(Number),
      since,
      schedule: schedule ? parseSchedule(schedule) : null,
    };
  }

  async renewChannel(channel: ChannelRef, turn: string, ttlMs: number): Promise<boolean> {
    return (await this.commands.esgRenewChannel(this.lockKey(channel), turn, ttlMs)) === 1;
  }

  async recordDelivered(target: DeliveryTarget, at: Date, releaseTurn = ''): Promise<void> {
    const last = { sourceId: target.sourceId, boardNo: target.boardNo, at: at.getTime() };
    await this.settle(target, JSON.stringify(last), releaseTurn);
  }

  async recordUndeliverable(
    target: DeliveryTarget,
    kind: UndeliverableKind,
    reason: string,
    at: Date,
  ): Promise<void> {
    await this.settle(target, '', '');
    const last = {
      kind,
      sourceId: target.sourceId,
      boardNo: target.boardNo,
      reason: reason.slice(0, 300),
      at: at.getTime(),
    };
    await this.commands.esgCountProblem(
      this.keys.channelProblems(),
      channelKey(target.channel),
      kind,
      JSON.stringify(last),
    );
  }

  async closeChannel(channel: ChannelRef, turn: string): Promise<void> {
    await this.commands.esgCloseChannel(this.lockKey(channel), turn);
  }

  async dropPending(sourceId: string, channel: ChannelRef, boardNo?: number): Promise<void> {
    const field = channelKey(channel);
    await this.commands.esgDropPending(
      this.keys.pendingDeliveries(sourceId, field),
      this.keys.owing(),
      owingField(sourceId, field),
      boardNo === undefined ? '' : boardNo,
    );
  }

  async lastDelivered(
    channel: ChannelRef,
  ): Promise<{ sourceId: string; boardNo: number; at: Date } | null> {
    const json = await this.redis.hget(this.keys.channelLastDelivery(), channelKey(channel));
    if (!json) return null;
    const record = JSON.parse(json) as { sourceId: string; boardNo: number; at: number };
    return { sourceId: record.sourceId, boardNo: record.boardNo, at: new Date(record.at) };
  }

  async problems(channel: ChannelRef): Promise<ChannelProblems> {
    const json = await this.redis.hget(this.keys.channelProblems(), channelKey(channel));
    if (!json) return { refused: 0, givenUp: 0, last: null };
    const stored = JSON.parse(json) as {
      refused: number;
      givenUp: number;
      last?: Omit<NonNullable<ChannelProblems['last']>, 'at'> & { at: number };
    };
    return {
      refused: stored.refused,
      givenUp: stored.givenUp,
      last: stored.last ? { ...stored.last, at: new Date(stored.last.at) } : null,
    };
  }

  async *owing(batchSize = 500): AsyncIterable<OwingChannel[]> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.keys.owing(), cursor, 'COUNT', batchSize);
      cursor = next;
      const batch: OwingChannel[] = [];
      for (let i = 1; i < flat.length; i += 2) {
        const stored = JSON.parse(flat[i]!) as Omit<OwingChannel, 'since'> & { since: number };
        batch.push({ ...stored, since: new Date(stored.since) });
      }
      if (batch.length > 0) yield batch;
    } while (cursor !== '0');
  }

  async newestOwed(sourceId: string, channel: ChannelRef): Promise<number | null> {
    const key = this.keys.pendingDeliveries(sourceId, channelKey(channel));
    const [newest] = await this.redis.zrevrange(key, 0, 0);
    if (newest !== undefined) return Number(newest);
    await this.dropPending(sourceId, channel); // an empty set: clear its index entry
    return null;
  }

  async forgetChannel(channel: ChannelRef): Promise<void> {
    const field = channelKey(channel);
    // The owing index names every source this channel owes posts of.
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(
        this.keys.owing(),
        cursor,
        'MATCH',
        `*|${field}`,
        'COUNT',
        500,
      );
      cursor = next;
      for (let i = 0; i < flat.length; i += 2) {
        const sourceId = flat[i]!.slice(0, flat[i]!.lastIndexOf('|'));
        await this.dropPending(sourceId, channel);
      }
    } while (cursor !== '0');
    await this.redis
      .multi()
      .hdel(this.keys.channelLastDelivery(), field)
      .hdel(this.keys.channelProblems(), field)
      .hdel(this.keys.channelIds(), field)
      .del(this.lockKey(channel))
      .exec();
  }

  private async settle(target: DeliveryTarget, last: string, releaseTurn: string): Promise<void> {
    const field = channelKey(target.channel);
    await this.commands.esgSettle(
      this.keys.channelIds(),
      this.keys.channelIdSequence(),
      this.keys.settled(target.sourceId, target.boardNo),
      this.keys.pendingDeliveries(target.sourceId, field),
      this.keys.owing(),
      this.keys.channelLastDelivery(),
      this.lockKey(target.channel),
      field,
      this.retentionSeconds,
      target.boardNo,
      owingField(target.sourceId, field),
      last,
      releaseTurn,
    );
  }

  private lockKey(channel: ChannelRef): string {
    return this.keys.lock(`channel-${channelKey(channel)}`);
  }
}

/** The owing index's field for (source, channel); source ids never contain `|`. */
function owingField(sourceId: string, channelField: string): string {
  return `${sourceId}|${channelField}`;
}
