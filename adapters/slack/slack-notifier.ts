import {
  ErrorCode,
  WebClient,
  type ChatUpdateArguments,
  type WebClientOptions,
} from '@slack/web-api';
import type { NewsDigest } from '../../src/model/news-digest.js';
import type { NewsMessage, SourceNotice } from '../../src/model/news-message.js';
import { DeliveryError, type Notifier, type SendOptions } from '../../src/ports/notifier.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import {
  renderAlert,
  renderDigest,
  renderMinimalAlert,
  renderMinimalDigest,
  renderNotice,
  type SlackBlock,
} from './slack-format.js';

/** Errors about one channel: it is gone, archived, or the bot is not in it. */
const CHANNEL_GONE = new Set(['channel_not_found', 'not_in_channel', 'is_archived']);

/**
 * Errors about the bot's own token: no channel is at fault, so the whole platform is paused
 * instead of unsubscribing channels one alert at a time.
 */
const TOKEN_REFUSED = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);

/** Errors of `chat.update` about the message to edit: it was deleted, or is too old to edit. */
const MESSAGE_GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/** Errors about the message itself: a plainer rendering may pass. */
const MESSAGE_REFUSED = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'msg_blocks_too_long',
  'invalid_arguments',
  'no_text',
]);

/**
 * Which Web API client a channel's calls go through: the one bot token of a single-workspace
 * deployment, or each workspace's own (see `SlackWorkspaceClients`).
 */
export interface SlackClients {
  /** Runs `call` with the client of `channel`'s workspace; throws {@link DeliveryError}. */
  run<T>(channel: ChannelRef, call: (client: WebClient) => Promise<T>): Promise<T>;
  /** See {@link Notifier.verify}. */
  verify(): Promise<void>;
}

/** The Web API client options every Slack client of the bot uses. */
export function slackClientOptions(options: WebClientOptions): WebClientOptions {
  return { rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 10_000, ...options };
}

/** One workspace, one bot token (`SLACK_BOT_TOKEN`). */
class OneWorkspace implements SlackClients {
  private readonly client: WebClient;

  constructor(token: string, options: WebClientOptions) {
    this.client = new WebClient(token, slackClientOptions(options));
  }

  async run<T>(_channel: ChannelRef, call: (client: WebClient) => Promise<T>): Promise<T> {
    try {
      return await call(this.client);
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  async verify(): Promise<void> {
    await this.run({ platform: 'slack', workspaceId: '', channelId: '' }, (client) =>
      client.auth.test(),
    );
  }
}

/**
 * Posts alerts with `chat.postMessage`. The client neither retries nor waits on 429s itself:
 * the delivery queue does, per channel, so one limited channel never holds the others up.
 */
export class SlackNotifier implements Notifier {
  readonly platform = 'slack' as const;
  private readonly clients: SlackClients;

  /** One bot token, or the clients of many workspaces. */
  constructor(credentials: string | SlackClients, options: WebClientOptions = {}) {
    this.clients =
      typeof credentials === 'string' ? new OneWorkspace(credentials, options) : credentials;
  }

  send(
    channel: ChannelRef,
    message: NewsMessage,
    _idempotencyKey: string,
    options: SendOptions = {},
  ): Promise<string | null> {
    return this.post(channel, options.plain ? renderMinimalAlert(message) : renderAlert(message));
  }

  async edit(
    channel: ChannelRef,
    messageId: string,
    message: NewsMessage,
    options: SendOptions = {},
  ): Promise<void> {
    const rendered = options.plain ? renderMinimalAlert(message) : renderAlert(message);
    // Without `blocks`, chat.update keeps the old ones: a plain edit sends an empty list.
    // `parse: 'none'` as on posting (see `post`).
    await this.clients.run(channel, (client) =>
      client.chat.update({
        channel: channel.channelId,
        ts: messageId,
        text: rendered.text,
        parse: 'none',
        // The renderer checks the blocks against Slack's limits; these types cannot.
        blocks: 'blocks' in rendered ? rendered.blocks : [],
      } as ChatUpdateArguments),
    );
  }

  async sendDigest(
    channel: ChannelRef,
    digest: NewsDigest,
    _idempotencyKey: string,
    options: SendOptions = {},
  ): Promise<void> {
    await this.post(channel, options.plain ? renderMinimalDigest(digest) : renderDigest(digest));
  }

  async sendNotice(channel: ChannelRef, notice: SourceNotice): Promise<void> {
    await this.post(channel, renderNotice(notice));
  }

  verify(): Promise<void> {
    return this.clients.verify();
  }

  /** Posts a message; resolves to its `ts`, the id `chat.update` edits it by. */
  private async post(
    channel: ChannelRef,
    message: { text: string; blocks?: SlackBlock[] },
  ): Promise<string | null> {
    const posted = await this.clients.run(channel, (client) =>
      client.chat.postMessage({
        channel: channel.channelId,
        ...message,
        // Said outright, like `verbatim` on the blocks: the text carries posts' words, which
        // Slack must not parse for mentions or links (chat.update once defaulted to `client`).
        parse: 'none',
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    return posted.ts ?? null;
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
      if (TOKEN_REFUSED.has(code)) {
        return new DeliveryError('unauthorized', `Slack refused the bot token (${code})`, {
          code,
          cause: error,
        });
      }
      const kind =
        CHANNEL_GONE.has(code) || MESSAGE_GONE.has(code)
          ? 'permanent'
          : MESSAGE_REFUSED.has(code)
            ? 'rejected'
            : 'transient';
      return new DeliveryError(kind, `Slack: ${code}`, { code, cause: error });
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
