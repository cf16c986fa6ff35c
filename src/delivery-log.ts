import type { ChannelRef } from './subscription.js';

/** A (post, channel) pair: the unit of delivery. */
export interface DeliveryTarget {
  sourceId: string;
  boardNo: number;
  channel: ChannelRef;
}

/** Port: which posts reached which channels, so a re-run never sends the same post twice. */
export interface DeliveryLog {
  wasDelivered(target: DeliveryTarget): Promise<boolean>;
  recordDelivered(target: DeliveryTarget, at: Date): Promise<void>;
  /** The channel's last delivered post, for the `status` command. */
  lastDelivered(
    channel: ChannelRef,
  ): Promise<{ sourceId: string; boardNo: number; at: Date } | null>;
}
