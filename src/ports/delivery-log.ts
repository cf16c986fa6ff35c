import type { ChannelSchedule } from '../model/channel-schedule.js';
import type { ChannelRef } from '../model/subscription.js';

/** A (post, channel) pair: the unit of delivery. */
export interface DeliveryTarget {
  sourceId: string;
  boardNo: number;
  channel: ChannelRef;
}

/** The outcome of asking for a channel's turn to deliver. */
export type ChannelTurn =
  /** Another worker is delivering to this channel right now. */
  | { kind: 'busy' }
  /** The channel is not subscribed (any more); what it was owed is forgotten. */
  | { kind: 'unsubscribed' }
  /**
   * This worker may deliver; `owed` are the board numbers still owed, oldest first, and
   * `since` when the oldest of them became owed (null when nothing is owed).
   */
  | {
      kind: 'open';
      turn: string;
      owed: number[];
      since: Date | null;
      /**
       * The channel's digest times and quiet hours, read with the turn by logs that keep
       * them alongside (`null`: none); absent when this log does not know them.
       */
      schedule?: ChannelSchedule | null;
    };

/** Why a post will never reach a channel, counted for `/news 상태`. */
export type UndeliverableKind =
  /** The platform refused the message, in its full and its plainest form. */
  | 'refused'
  /** The platform kept failing for longer than the bot keeps trying (`DELIVERY_GIVE_UP_AFTER`). */
  | 'given-up';

/** What went wrong for one channel, for `/news 상태`. */
export interface ChannelProblems {
  refused: number;
  givenUp: number;
  last: {
    kind: UndeliverableKind;
    sourceId: string;
    boardNo: number;
    reason: string;
    at: Date;
  } | null;
}

/** A channel that owes posts of one source, for the sweep that re-queues forgotten work. */
export interface OwingChannel {
  sourceId: string;
  channel: ChannelRef;
  /** When this channel was first owed a post it still owes. */
  since: Date;
}

/**
 * Port: which posts are owed to which channels and which are settled there (delivered, or
 * given up), so a re-run never sends a post twice and each channel gets its posts oldest
 * first, one worker at a time. Invariant: a post is owed to a channel only while it is not
 * settled there.
 */
export interface DeliveryLog {
  /** Notes that these posts are owed to these channels; settled posts are skipped. */
  markPending(targets: readonly DeliveryTarget[], at: Date): Promise<void>;
  /**
   * Takes the channel's turn (held for `ttlMs` unless renewed, so a crashed worker frees it)
   * and says what is owed to it up to and including `target.boardNo`.
   */
  openChannel(target: DeliveryTarget, ttlMs: number): Promise<ChannelTurn>;
  /** Extends the turn by `ttlMs`; false when it is no longer ours (it expired and was taken). */
  renewChannel(channel: ChannelRef, turn: string, ttlMs: number): Promise<boolean>;
  /** Records a delivery and settles what was owed in one step; gives the turn back when given. */
  recordDelivered(target: DeliveryTarget, at: Date, releaseTurn?: string): Promise<void>;
  /** Settles a post that will never reach the channel, and counts it for `status`. */
  recordUndeliverable(
    target: DeliveryTarget,
    kind: UndeliverableKind,
    reason: string,
    at: Date,
  ): Promise<void>;
  /** Gives the channel's turn back. */
  closeChannel(channel: ChannelRef, turn: string): Promise<void>;
  /** Forgets what is owed to a channel: one post, or everything. */
  dropPending(sourceId: string, channel: ChannelRef, boardNo?: number): Promise<void>;
  /** The channel's last delivered post, for the `status` command. */
  lastDelivered(
    channel: ChannelRef,
  ): Promise<{ sourceId: string; boardNo: number; at: Date } | null>;
  /** Posts that will never reach the channel, counted, for the `status` command. */
  problems(channel: ChannelRef): Promise<ChannelProblems>;
  /** Every channel that still owes posts, in batches (`batchSize` a hint), for the sweep. */
  owing(batchSize?: number): AsyncIterable<OwingChannel[]>;
  /** The newest board number owed to the channel, or null when nothing is owed (any more). */
  newestOwed(sourceId: string, channel: ChannelRef): Promise<number | null>;
  /** Deletes everything kept about a channel: what it is owed, its last alert, its counts. */
  forgetChannel(channel: ChannelRef): Promise<void>;
}
