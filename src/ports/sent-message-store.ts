import type { DeliveryTarget } from './delivery-log.js';
import type { ChannelRef } from '../model/subscription.js';

/**
 * How long the bot remembers which message carried which alert, so a correction at the
 * source can edit it. Releases are corrected within hours or days; past a month an edit
 * would surprise more than it helps, and the references would only grow.
 */
export const SENT_MESSAGE_RETENTION_MS = 30 * 86_400_000;

/** An alert the platform accepted: where it is, and the platform's id for it. */
export interface SentMessage {
  channel: ChannelRef;
  /** Slack's `ts`, Discord's message id. */
  messageId: string;
}

/**
 * Port: the messages that carried each post's alert, per channel, kept for
 * {@link SENT_MESSAGE_RETENTION_MS} after the post's last alert.
 */
export interface SentMessageStore {
  remember(target: DeliveryTarget, messageId: string): Promise<void>;
  /** Every remembered message about one post, in any channel. */
  list(sourceId: string, boardNo: number): Promise<SentMessage[]>;
  /** Forgets one channel's message (deleted, or no longer editable). */
  forget(target: DeliveryTarget): Promise<void>;
}
