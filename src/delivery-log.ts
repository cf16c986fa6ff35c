import type { ChannelRef } from './subscription.js';

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
  /** This worker may deliver; `owed` are the board numbers still owed, oldest first. */
  | { kind: 'open'; turn: string; owed: number[] };

/**
 * Port: which posts are owed to which channels and which reached them, so a re-run never
 * sends a post twice and each channel gets its posts oldest first, one worker at a time.
 * Invariant: a post is owed to a channel only while its delivery is not recorded.
 */
export interface DeliveryLog {
  /** Notes that these posts are owed to these channels; posts already delivered are skipped. */
  markPending(targets: readonly DeliveryTarget[]): Promise<void>;
  /**
   * Takes the channel's turn (held for at most `ttlMs`, so a crashed worker frees it) and
   * says what is owed to it up to and including `target.boardNo`.
   */
  openChannel(target: DeliveryTarget, ttlMs: number): Promise<ChannelTurn>;
  /** Records a delivery and settles what was owed in one step; gives the turn back when given. */
  recordDelivered(target: DeliveryTarget, at: Date, releaseTurn?: string): Promise<void>;
  /** Gives the channel's turn back. */
  closeChannel(channel: ChannelRef, turn: string): Promise<void>;
  /** Forgets what is owed to a channel: one post, or everything. */
  dropPending(sourceId: string, channel: ChannelRef, boardNo?: number): Promise<void>;
  wasDelivered(target: DeliveryTarget): Promise<boolean>;
  /** The channel's last delivered post, for the `status` command. */
  lastDelivered(
    channel: ChannelRef,
  ): Promise<{ sourceId: string; boardNo: number; at: Date } | null>;
}
