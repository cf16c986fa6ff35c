// The Bot API client alone, not the polling bot: workers that only deliver stay light.
import { Api } from 'grammy';
import type { NewsDigest } from '../../src/model/news-digest.js';
import type { NewsMessage, SourceNotice } from '../../src/model/news-message.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import { DeliveryError, type Notifier, type SendOptions } from '../../src/ports/notifier.js';
import type { SendLimiter } from '../../src/ports/send-limiter.js';
import { isNotModified, toDeliveryError } from './telegram-errors.js';
import {
  renderAlert,
  renderDigest,
  renderNotice,
  renderPlainAlert,
  renderPlainDigest,
  type TelegramMessage,
} from './telegram-format.js';

/** A Telegram chat id: positive for a person, negative for a group (-100… a supergroup). */
const CHAT_ID = /^-?\d{1,20}$/;

/**
 * Telegram's per-chat limits (Bot FAQ, "My bot is hitting limits"): "avoid sending more than
 * one message per second" in a chat, and "no more than 20 messages per minute" in a group.
 * Kept by the bot itself across every worker (`RedisSendLimiter`), so they earn no 429s.
 */
export const GROUP_SPACING_MS = 3_000;
export const PRIVATE_SPACING_MS = 1_000;

/** The limiters of the two kinds of chat. */
export interface TelegramLimiters {
  /** Groups, supergroups and channels (negative ids): one message per 3 s. */
  group: SendLimiter;
  /** Private chats (positive ids): one message a second. */
  private: SendLimiter;
}

export interface TelegramNotifierOptions {
  token: string;
  /** The Bot API's root (`TELEGRAM_API_URL`), without a trailing slash. */
  apiUrl: string;
  /** Each chat's limit, across every worker (none: nothing waited for). */
  limiters?: TelegramLimiters | undefined;
  /** The worker's deliveries in flight: a quarter of them at most may wait in place. */
  concurrency?: number;
}

/** Waits for a chat's limit up to this long in place; longer, the job is delayed instead. */
const MAX_WAIT_IN_PLACE_MS = 1_500;

/**
 * Posts alerts with the Bot API's `sendMessage`, in HTML with every text escaped, and edits
 * them with `editMessageText`. The client never retries and never waits out a 429: the
 * delivery queue does, per chat (see `toDeliveryError`).
 */
export class TelegramNotifier implements Notifier {
  readonly platform = 'telegram' as const;
  private readonly api: Api;
  private waitingInPlace = 0;

  constructor(private readonly options: TelegramNotifierOptions) {
    // No auto-retry or throttler transformer: a retry is the queue's decision, never the client's.
    this.api = new Api(options.token, { apiRoot: options.apiUrl, timeoutSeconds: 15 });
  }

  send(
    channel: ChannelRef,
    message: NewsMessage,
    _idempotencyKey: string,
    options: SendOptions = {},
  ): Promise<string | null> {
    return this.post(channel, options.plain ? renderPlainAlert(message) : renderAlert(message));
  }

  async edit(
    channel: ChannelRef,
    messageId: string,
    message: NewsMessage,
    options: SendOptions = {},
  ): Promise<void> {
    const chatId = this.chatId(channel);
    if (!/^\d{1,12}$/.test(messageId)) {
      throw new DeliveryError('permanent', `Telegram: ${messageId} is not a message id`);
    }
    const rendered = options.plain ? renderPlainAlert(message) : renderAlert(message);
    await this.waitForPlace(channel);
    try {
      await this.api.editMessageText(
        chatId,
        Number(messageId),
        rendered.text,
        formatting(rendered),
      );
    } catch (error) {
      // The same text again (a retried correction): the message already reads as it should.
      if (isNotModified(error)) return;
      throw toDeliveryError(error);
    }
  }

  async sendDigest(
    channel: ChannelRef,
    digest: NewsDigest,
    _idempotencyKey: string,
    options: SendOptions = {},
  ): Promise<void> {
    await this.post(channel, options.plain ? renderPlainDigest(digest) : renderDigest(digest));
  }

  async sendNotice(channel: ChannelRef, notice: SourceNotice): Promise<void> {
    await this.post(channel, renderNotice(notice));
  }

  async verify(): Promise<void> {
    try {
      await this.api.getMe();
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  /** Posts a message; resolves to its `message_id`, which `editMessageText` edits it by. */
  private async post(channel: ChannelRef, message: TelegramMessage): Promise<string> {
    const chatId = this.chatId(channel);
    await this.waitForPlace(channel);
    try {
      const sent = await this.api.sendMessage(chatId, message.text, formatting(message));
      return String(sent.message_id);
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  private chatId(channel: ChannelRef): number {
    if (!CHAT_ID.test(channel.channelId) || !Number.isSafeInteger(Number(channel.channelId))) {
      throw new DeliveryError('permanent', `Telegram: ${channel.channelId} is not a chat id`);
    }
    return Number(channel.channelId);
  }

  /**
   * Takes the chat's place under its limit. A short wait is waited here, by a few deliveries
   * at a time; a longer one is thrown as the bot's own `rate-limited`, so the job is delayed
   * and its slot goes to another chat.
   */
  private async waitForPlace(channel: ChannelRef): Promise<void> {
    const limiters = this.options.limiters;
    if (!limiters) return;
    const limiter = channel.channelId.startsWith('-') ? limiters.group : limiters.private;
    const maxWaiting = Math.max(1, Math.floor((this.options.concurrency ?? 4) / 4));
    for (let round = 0; ; round++) {
      const waitMs = await limiter.tryTake(channel);
      if (waitMs <= 0) return;
      if (round > 0 || waitMs > MAX_WAIT_IN_PLACE_MS || this.waitingInPlace >= maxWaiting) {
        throw new DeliveryError('rate-limited', 'Telegram: waiting for the chat’s rate limit', {
          code: 'own_rate_limit',
          // Spread out, so the delayed jobs of a busy chat do not all come back at once.
          retryAfterMs: waitMs + Math.random() * Math.max(1_000, waitMs),
          scope: 'channel',
          ownLimit: true,
        });
      }
      this.waitingInPlace++;
      try {
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      } finally {
        this.waitingInPlace--;
      }
    }
  }
}

/**
 * HTML or nothing (plain text: no `parse_mode`, so nothing in it is markup). Link previews
 * are off: an alert shows its own lead, and a digest of twenty links would otherwise preview
 * whichever came first.
 */
function formatting(message: TelegramMessage) {
  return {
    ...(message.html ? { parse_mode: 'HTML' as const } : {}),
    link_preview_options: { is_disabled: true },
  };
}
