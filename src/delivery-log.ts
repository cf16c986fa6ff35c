import type { ChannelRef } from './subscription.js';

/** A (post, channel) pair: the unit of delivery. */
export interface DeliveryTarget {
  sourceId: string;
  boardNo: number;
  channel: ChannelRef;
}

/**
 * Port: which posts are owed to which channels and which reached them, so a re-run never
 * sends a post twice and each channel gets its posts oldest first.
 */
export interface DeliveryLog {
  /** Notes that these posts are owed to these channels (at fan-out, before the jobs exist). */
  markPending(targets: readonly DeliveryTarget[]): Promise<void>;
  /** Board numbers owed to the channel, up to and including `boardNo`, oldest first. */
  pendingUpTo(sourceId: string, channel: ChannelRef, boardNo: number): Promise<number[]>;
  /** Forgets what is owed to a channel: one post, or everything (it unsubscribed or was removed). */
  dropPending(sourceId: string, channel: ChannelRef, boardNo?: number): Promise<void>;
  wasDelivered(target: DeliveryTarget): Promise<boolean>;
  /** Records the delivery and settles what was owed, in one step. */
  recordDelivered(target: DeliveryTarget, at: Date): Promise<void>;
  /** The channel's last delivered post, for the `status` command. */
  lastDelivered(
    channel: ChannelRef,
  ): Promise<{ sourceId: string; boardNo: number; at: Date } | null>;
}

/** Port: runs a task while no other process runs one under the same name. */
export type ExclusiveRunner = <T>(
  name: string,
  task: () => Promise<T>,
) => Promise<{ acquired: true; value: T } | { acquired: false }>;
