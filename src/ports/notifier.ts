import type { NewsDigest } from '../model/news-digest.js';
import type { NewsMessage, SourceNotice } from '../model/news-message.js';
import type { ChannelRef } from '../model/subscription.js';
import type { Platform } from '../platforms/platform-registry.js';

/**
 * How a delivery failed, which decides what happens next:
 * - `permanent`: this one channel is gone or the bot lost access to it; unsubscribe it, never retry.
 * - `rejected`: the platform refused this message's content (too long, a bad link); a plainer
 *   rendering may pass, but the same message never will.
 * - `rate-limited`: wait `retryAfterMs`, then try again without counting it as a failure.
 *   `scope: 'global'` means the whole platform is paused, not only this channel.
 * - `unauthorized`: the platform refused the bot's own credentials; no channel is at fault, so
 *   the platform is paused (nobody unsubscribed, nothing dropped) until the token works again.
 * - `transient`: anything else; retry with back-off.
 */
export type DeliveryFailureKind =
  'permanent' | 'rejected' | 'rate-limited' | 'unauthorized' | 'transient';

export class DeliveryError extends Error {
  constructor(
    readonly kind: DeliveryFailureKind,
    message: string,
    readonly details: {
      /** The platform's own error code (`channel_not_found`, `10003`, …). */
      code?: string;
      retryAfterMs?: number;
      /**
       * What the failure holds up: one channel, the whole platform, or one workspace (a Slack
       * team whose token was refused: only its deliveries wait, the others go on).
       */
      scope?: 'channel' | 'global' | 'workspace';
      /** A wait the bot's own rate limiter asked for; the platform answered no 429. */
      ownLimit?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'DeliveryError';
  }
}

/** How to render a message: `plain` is the platform's simplest form, for a retry after `rejected`. */
export interface SendOptions {
  plain?: boolean;
}

/** Port: sends one message to one channel of one platform. The chat adapters implement it. */
export interface Notifier {
  readonly platform: Platform;
  /**
   * Posts `message` to `channel`. `idempotencyKey` is the same for every retry of one
   * (post, channel) delivery; platforms that can de-duplicate with it (Discord's nonce) do.
   * Throws {@link DeliveryError}. Resolves to the platform's id of the message (Slack's `ts`,
   * Discord's message id), kept so a correction can edit it; `null` when it has none.
   */
  send(
    channel: ChannelRef,
    message: NewsMessage,
    idempotencyKey: string,
    options?: SendOptions,
  ): Promise<string | null>;
  /**
   * Replaces the alert `messageId` in `channel` with `message` (a correction at the source),
   * posting nothing new. Throws {@link DeliveryError}: `permanent` when that message or its
   * channel is gone, or can no longer be edited; otherwise as `send`.
   */
  edit?(
    channel: ChannelRef,
    messageId: string,
    message: NewsMessage,
    options?: SendOptions,
  ): Promise<void>;
  /**
   * Posts several posts as one message (a digest, or what quiet hours held); same key and
   * errors as `send`.
   */
  sendDigest(
    channel: ChannelRef,
    digest: NewsDigest,
    idempotencyKey: string,
    options?: SendOptions,
  ): Promise<void>;
  /** Posts a notice about the source itself (see {@link SourceNotice}); same errors as `send`. */
  sendNotice(channel: ChannelRef, notice: SourceNotice, idempotencyKey: string): Promise<void>;
  /**
   * Asks the platform whether it accepts the bot's credentials: at start (a wrong token stops
   * the bot with a clear message) and, while the platform is paused, as the one probe a
   * minute that resumes it. Throws {@link DeliveryError} (`unauthorized` when refused).
   */
  verify?(): Promise<void>;
}
