import { randomUUID } from 'node:crypto';
import { channelKey, type ChannelRef } from '../../src/model/subscription.js';
import type {
  ChannelProblems,
  ChannelTurn,
  DeliveryLog,
  DeliveryTarget,
  OwingChannel,
  UndeliverableKind,
} from '../../src/ports/delivery-log.js';
import { jsonCopy } from './json-copy.js';
import type { MemoryChannelScheduleStore } from './memory-channel-schedule-store.js';
import { MemoryFollowBook } from './memory-follow-book.js';

export interface MemoryDeliveryLogOptions {
  /** Whose subscriptions a turn checks (the subscription store's book). */
  book?: MemoryFollowBook;
  /** The channels' schedules, handed out with each turn as the Redis log does. */
  schedules?: MemoryChannelScheduleStore;
  /** How long a settled (post, channel) is remembered; rounded up to seconds, as in Redis. */
  retentionMs?: number;
  /** The clock of the turns' and the settled records' expiries (epoch ms). */
  clock?: () => number;
}

interface Owing {
  sourceId: string;
  channel: ChannelRef;
  since: number;
}

/**
 * The delivery log in memory, with the port's semantics (see `delivery-log.contract.ts`):
 * a post is owed to a channel only while it is not settled there; settled posts are
 * remembered for the retention; one turn per channel at a time, lapsing after its lifetime;
 * a turn asked for a channel that follows the source no more forgets what it was owed. Every
 * method runs to its end without yielding, as each Redis script runs atomically.
 */
export class MemoryDeliveryLog implements DeliveryLog {
  readonly book: MemoryFollowBook;
  private readonly schedules: MemoryChannelScheduleStore | undefined;
  private readonly retentionMs: number;
  private readonly clock: () => number;
  /** `source|boardNo` → the channels it is settled in, and when that memory lapses. */
  private readonly settled = new Map<string, { channels: Set<string>; until: number }>();
  /** `source|channel key` → board numbers still owed. */
  private readonly pending = new Map<string, Set<number>>();
  /** `source|channel key` → the channel that owes posts of the source, since when. */
  private readonly owingIndex = new Map<string, Owing>();
  /** Channel key → its turn and when it lapses. */
  private readonly turns = new Map<string, { turn: string; until: number }>();
  private readonly last = new Map<string, { sourceId: string; boardNo: number; at: number }>();
  private readonly counts = new Map<string, ChannelProblems>();

  constructor(options: MemoryDeliveryLogOptions = {}) {
    this.book = options.book ?? new MemoryFollowBook();
    this.schedules = options.schedules;
    this.retentionMs = Math.max(1, Math.ceil((options.retentionMs ?? 86_400_000) / 1000)) * 1000;
    this.clock = options.clock ?? Date.now;
  }

  markPending(targets: readonly DeliveryTarget[], at: Date): Promise<void> {
    for (const t of targets) {
      if (this.isSettled(t)) continue;
      const key = pairKey(t.sourceId, t.channel);
      setIn(this.pending, key).add(t.boardNo);
      if (!this.owingIndex.has(key)) {
        const channel = jsonCopy(t.channel);
        this.owingIndex.set(key, { sourceId: t.sourceId, channel, since: at.getTime() });
      }
    }
    return Promise.resolve();
  }

  openChannel(target: DeliveryTarget, ttlMs: number): Promise<ChannelTurn> {
    const field = channelKey(target.channel);
    if (this.turnOf(field)) return Promise.resolve({ kind: 'busy' });
    const turn = randomUUID();
    this.turns.set(field, { turn, until: this.clock() + ttlMs });
    const key = pairKey(target.sourceId, target.channel);
    if (!this.book.isFollowing(target.sourceId, target.channel)) {
      this.pending.delete(key);
      this.owingIndex.delete(key);
      this.turns.delete(field);
      return Promise.resolve({ kind: 'unsubscribed' });
    }
    const owed = [...(this.pending.get(key) ?? [])]
      .filter((boardNo) => boardNo <= target.boardNo)
      .sort((a, b) => a - b);
    const owing = this.owingIndex.get(key);
    return Promise.resolve({
      kind: 'open',
      turn,
      owed,
      since: owing ? new Date(owing.since) : null,
      ...(this.schedules ? { schedule: this.schedules.peek(target.channel) } : {}),
    });
  }

  renewChannel(channel: ChannelRef, turn: string, ttlMs: number): Promise<boolean> {
    const held = this.turnOf(channelKey(channel));
    if (held?.turn !== turn) return Promise.resolve(false);
    held.until = this.clock() + ttlMs;
    return Promise.resolve(true);
  }

  recordDelivered(target: DeliveryTarget, at: Date, releaseTurn = ''): Promise<void> {
    this.settle(target, releaseTurn);
    const { sourceId, boardNo } = target;
    this.last.set(channelKey(target.channel), { sourceId, boardNo, at: at.getTime() });
    return Promise.resolve();
  }

  recordUndeliverable(
    target: DeliveryTarget,
    kind: UndeliverableKind,
    reason: string,
    at: Date,
  ): Promise<void> {
    this.settle(target, '');
    const field = channelKey(target.channel);
    const counts = this.counts.get(field) ?? { refused: 0, givenUp: 0, last: null };
    this.counts.set(field, {
      refused: counts.refused + (kind === 'refused' ? 1 : 0),
      givenUp: counts.givenUp + (kind === 'given-up' ? 1 : 0),
      last: {
        kind,
        sourceId: target.sourceId,
        boardNo: target.boardNo,
        reason: reason.slice(0, 300),
        at,
      },
    });
    return Promise.resolve();
  }

  closeChannel(channel: ChannelRef, turn: string): Promise<void> {
    const field = channelKey(channel);
    if (this.turnOf(field)?.turn === turn) this.turns.delete(field);
    return Promise.resolve();
  }

  dropPending(sourceId: string, channel: ChannelRef, boardNo?: number): Promise<void> {
    this.drop(pairKey(sourceId, channel), boardNo);
    return Promise.resolve();
  }

  lastDelivered(
    channel: ChannelRef,
  ): Promise<{ sourceId: string; boardNo: number; at: Date } | null> {
    const last = this.last.get(channelKey(channel));
    return Promise.resolve(last ? { ...last, at: new Date(last.at) } : null);
  }

  problems(channel: ChannelRef): Promise<ChannelProblems> {
    const counts = this.counts.get(channelKey(channel));
    if (!counts) return Promise.resolve({ refused: 0, givenUp: 0, last: null });
    return Promise.resolve({ ...counts, last: counts.last ? { ...counts.last } : null });
  }

  async *owing(batchSize = 500): AsyncIterable<OwingChannel[]> {
    const all = [...this.owingIndex.values()].map((o) => ({
      sourceId: o.sourceId,
      channel: jsonCopy(o.channel),
      since: new Date(o.since),
    }));
    for (let i = 0; i < all.length; i += batchSize) {
      yield await Promise.resolve(all.slice(i, i + batchSize));
    }
  }

  newestOwed(sourceId: string, channel: ChannelRef): Promise<number | null> {
    const key = pairKey(sourceId, channel);
    const owed = [...(this.pending.get(key) ?? [])];
    if (owed.length > 0) return Promise.resolve(Math.max(...owed));
    this.drop(key); // an empty backlog: clear its index entry
    return Promise.resolve(null);
  }

  forgetChannel(channel: ChannelRef): Promise<void> {
    const field = channelKey(channel);
    for (const [key, owing] of [...this.owingIndex]) {
      if (channelKey(owing.channel) === field) this.drop(key);
    }
    this.last.delete(field);
    this.counts.delete(field);
    this.turns.delete(field);
    // The channel's number goes with it: what it had settled is not settled for it any more.
    for (const post of this.settled.values()) post.channels.delete(field);
    return Promise.resolve();
  }

  private isSettled(target: DeliveryTarget): boolean {
    const post = this.settled.get(postKey(target));
    if (!post || post.until <= this.clock()) return false;
    return post.channels.has(channelKey(target.channel));
  }

  /** Settles a post for a channel: not owed any more, remembered for the retention. */
  private settle(target: DeliveryTarget, releaseTurn: string): void {
    const key = postKey(target);
    const now = this.clock();
    let post = this.settled.get(key);
    if (!post || post.until <= now) post = { channels: new Set(), until: 0 };
    post.channels.add(channelKey(target.channel));
    // The retention counts from the post's last settlement, in any channel.
    post.until = now + this.retentionMs;
    this.settled.set(key, post);
    this.drop(pairKey(target.sourceId, target.channel), target.boardNo);
    const field = channelKey(target.channel);
    if (releaseTurn !== '' && this.turnOf(field)?.turn === releaseTurn) this.turns.delete(field);
  }

  /** Forgets one owed post, or all of a (source, channel); an empty backlog leaves the index. */
  private drop(key: string, boardNo?: number): void {
    const owed = this.pending.get(key);
    if (owed && boardNo !== undefined) owed.delete(boardNo);
    if (!owed || boardNo === undefined || owed.size === 0) {
      this.pending.delete(key);
      this.owingIndex.delete(key);
    }
  }

  /** The channel's turn while it has not lapsed. */
  private turnOf(field: string): { turn: string; until: number } | undefined {
    const held = this.turns.get(field);
    if (held && held.until > this.clock()) return held;
    this.turns.delete(field);
    return undefined;
  }
}

function pairKey(sourceId: string, channel: ChannelRef): string {
  return `${sourceId}|${channelKey(channel)}`;
}

function postKey(target: DeliveryTarget): string {
  return `${target.sourceId}|${target.boardNo}`;
}

function setIn<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}
