import type { NewsMessage, SourceNotice } from './news-message.js';
import type { ChannelRef, Platform } from './subscription.js';

/**
 * How a delivery failed, which decides what happens next:
 * - `permanent`: the channel is gone or the bot lost access; unsubscribe, never retry.
 * - `rate-limited`: wait `retryAfterMs`, then try again without counting it as a failure.
 *   `scope: 'global'` means the whole platform is paused, not only this channel.
 * - `unauthorized`: the platform refused the bot's own credentials; no channel is at fault,
 *   so nobody is unsubscribed, but retrying is pointless until an operator fixes the token.
 * - `transient`: anything else; retry with back-off.
 */
export type DeliveryFailureKind = 'permanent' | 'rate-limited' | 'unauthorized' | 'transient';

export class DeliveryError extends Error {
  constructor(
    readonly kind: DeliveryFailureKind,
    message: string,
    readonly details: {
      /** The platform's own error code (`channel_not_found`, `10003`, …). */
      code?: string;
      retryAfterMs?: number;
      scope?: 'channel' | 'global';
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'DeliveryError';
  }
}

/** Port: sends one message to one channel of one platform. The chat adapters implement it. */
export interface Notifier {
  readonly platform: Platform;
  /**
   * Posts `message` to `channel`. `idempotencyKey` is the same for every retry of one
   * (post, channel) delivery; platforms that can de-duplicate with it (Discord's nonce) do.
   * Throws {@link DeliveryError}.
   */
  send(channel: ChannelRef, message: NewsMessage, idempotencyKey: string): Promise<void>;
  /** Posts a notice about the source itself (see {@link SourceNotice}); same errors as `send`. */
  sendNotice(channel: ChannelRef, notice: SourceNotice, idempotencyKey: string): Promise<void>;
  /**
   * Asks the platform whether it accepts the bot's credentials, at start: a wrong token must
   * stop the bot with a clear message, not unsubscribe channels one alert at a time. Throws
   * {@link DeliveryError} (`unauthorized` when refused).
   */
  verify?(): Promise<void>;
}
