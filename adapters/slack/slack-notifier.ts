import { ErrorCode, WebClient, type WebClientOptions } from '@slack/web-api';
import { noticeText, type NewsMessage, type SourceNotice } from '../../src/news-message.js';
import { DeliveryError, type Notifier } from '../../src/notifier.js';
import type { ChannelRef } from '../../src/subscription.js';
import { escapeSlack, renderAlert, type SlackBlock } from './slack-format.js';

/** Slack errors that will not go away by retrying: the channel or the bot's access is gone. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'account_inactive',
  'invalid_auth',
  'token_revoked',
]);

/**
 * Posts alerts with `chat.postMessage`. The client neither retries nor waits on 429s itself:
 * the delivery queue does, per channel, so one limited channel never holds the others up.
 */
export class SlackNotifier implements Notifier {
  readonly platform = 'slack' as const;
  private readonly client: WebClient;

  constructor(token: string, options: WebClientOptions = {}) {
    this.client = new WebClient(token, {
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      timeout: 10_000,
      ...options,
    });
  }

  send(channel: ChannelRef, message: NewsMessage): Promise<void> {
    return this.post(channel, renderAlert(message));
  }

  sendNotice(channel: ChannelRef, notice: SourceNotice): Promise<void> {
    return this.post(channel, { text: escapeSlack(noticeText(notice)) });
  }

  async verify(): Promise<void> {
    try {
      await this.client.auth.test();
    } catch (error) {
      const failure = toDeliveryError(error);
      throw failure.kind === 'permanent'
        ? new DeliveryError(
            'unauthorized',
            `Slack refused the bot token (${failure.details.code})`,
            {
              cause: error,
            },
          )
        : failure;
    }
  }

  private async post(channel: ChannelRef, message: { text: string; blocks?: SlackBlock[] }) {
    try {
      await this.client.chat.postMessage({
        channel: channel.channelId,
        ...message,
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (error) {
      throw toDeliveryError(error);
    }
  }
}

export function toDeliveryError(error: unknown): DeliveryError {
  const e = error as {
    code?: string;
    data?: { error?: string };
    retryAfter?: number;
    statusCode?: number;
  };
  switch (e.code) {
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      return new DeliveryError(PERMANENT.has(code) ? 'permanent' : 'transient', `Slack: ${code}`, {
        code,
        cause: error,
      });
    }
    case ErrorCode.RateLimitedError:
      return new DeliveryError('rate-limited', 'Slack: rate limited', {
        code: 'ratelimited',
        retryAfterMs: (e.retryAfter ?? 1) * 1000,
        scope: 'channel',
        cause: error,
      });
    case ErrorCode.HTTPError:
      return new DeliveryError('transient', `Slack: HTTP ${e.statusCode}`, { cause: error });
    default:
      return new DeliveryError('transient', `Slack: ${(error as Error).message}`, { cause: error });
  }
}
