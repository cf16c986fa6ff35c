// The REST client alone, not all of discord.js: workers that only deliver stay light.
import { DiscordAPIError, HTTPError, RateLimitError, REST } from '@discordjs/rest';
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
} from './discord-format.js';

/**
 * Unknown Channel, Missing Access, Missing Permissions: the channel is gone for the bot;
 * Unknown Message: the message an edit was for was deleted.
 */
const CHANNEL_GONE = new Set([10003, 50001, 50013, 10008]);

/** Invalid Form Body, Cannot send an empty message: the message itself was refused. */
const MESSAGE_REFUSED = new Set([50035, 50006]);

/**
 * Posts alerts over Discord's REST API. Each carries a nonce derived from (post, channel)
 * with `enforce_nonce`, so a retried delivery returns the first message instead of posting
 * twice. 429s are not waited out here but handed to the queue; the global 50 requests/s is
 * kept by the delivery queue's limiter across processes.
 */
export class DiscordNotifier implements Notifier {
  readonly platform = 'discord' as const;
  private readonly rest: REST;

  /** `ratePerSecond`: the bot's own limit across processes (0: none), which this client must not undercut. */
  constructor(
    private readonly token: string,
    apiUrl: string,
    ratePerSecond = 48,
  ) {
    this.rest = new REST({
      api: apiUrl,
      retries: 0,
      timeout: 10_000,
      rejectOnRateLimit: () => true,
      globalRequestsPerSecond:
        ratePerSecond > 0 ? Math.max(50, Math.ceil(ratePerSecond) + 2) : 1_000_000,
    }).setToken(token);
  }

  send(
    channel: ChannelRef,
    message: NewsMessage,
    idempotencyKey: string,
    options: SendOptions = {},
  ): Promise<string | null> {
    const body = options.plain ? renderMinimalAlert(message) : renderAlert(message);
    return this.post(channel, body, idempotencyKey);
  }

  async edit(
    channel: ChannelRef,
    messageId: string,
    message: NewsMessage,
    options: SendOptions = {},
  ): Promise<void> {
    const body = options.plain
      ? { ...renderMinimalAlert(message), embeds: [] }
      : renderAlert(message);
    this.checkChannelId(channel);
    try {
      await this.rest.patch(`/channels/${channel.channelId}/messages/${messageId}`, { body });
    } catch (error) {
      throw this.failure(error);
    }
  }

  async sendDigest(
    channel: ChannelRef,
    digest: NewsDigest,
    idempotencyKey: string,
    options: SendOptions = {},
  ): Promise<void> {
    const body = options.plain ? renderMinimalDigest(digest) : renderDigest(digest);
    await this.post(channel, body, idempotencyKey);
  }

  async sendNotice(channel: ChannelRef, notice: SourceNotice, idempotencyKey: string) {
    await this.post(channel, renderNotice(notice), idempotencyKey);
  }

  async verify(): Promise<void> {
    try {
      await this.rest.get('/users/@me');
    } catch (error) {
      throw this.failure(error);
    }
  }

  private checkChannelId(channel: ChannelRef): void {
    if (!/^\d+$/.test(channel.channelId)) {
      throw new DeliveryError('permanent', `Discord: ${channel.channelId} is not a channel id`);
    }
  }

  /** Posts a message; resolves to its id, which `PATCH …/messages/{id}` edits it by. */
  private async post(
    channel: ChannelRef,
    body: object,
    idempotencyKey: string,
  ): Promise<string | null> {
    this.checkChannelId(channel);
    try {
      const created = (await this.rest.post(`/channels/${channel.channelId}/messages`, {
        body: { ...body, nonce: idempotencyKey, enforce_nonce: true },
      })) as { id?: unknown } | null;
      return typeof created?.id === 'string' ? created.id : null;
    } catch (error) {
      throw this.failure(error);
    }
  }

  private failure(error: unknown): DeliveryError {
    const failure = toDeliveryError(error);
    // After a 401 the REST client drops its token for good, so every later call (the probe
    // included) would fail inside the process without asking Discord. Give it back: the
    // platform is paused meanwhile, and only the probe calls Discord until the token works.
    if (failure.kind === 'unauthorized') this.rest.setToken(this.token);
    return failure;
  }
}

export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof RateLimitError) {
    return new DeliveryError('rate-limited', `Discord: rate limited on ${error.route}`, {
      code: '429',
      retryAfterMs: Math.max(error.retryAfter, 50),
      scope: error.global ? 'global' : 'channel',
      cause: error,
    });
  }
  if (error instanceof DiscordAPIError) {
    const code = String(error.code);
    if (typeof error.code === 'number' && CHANNEL_GONE.has(error.code)) {
      return new DeliveryError('permanent', `Discord: ${error.message}`, { code, cause: error });
    }
    if (error.status === 400 && typeof error.code === 'number' && MESSAGE_REFUSED.has(error.code)) {
      return new DeliveryError('rejected', `Discord: ${error.message}`, { code, cause: error });
    }
    if (error.status === 401) {
      // The token is wrong or revoked: no channel is at fault, and retrying only spends
      // invalid requests (Discord bans an IP after 10,000 in 10 minutes).
      return new DeliveryError('unauthorized', 'Discord: the bot token was refused', {
        code,
        cause: error,
      });
    }
    return new DeliveryError('transient', `Discord: ${error.message}`, { code, cause: error });
  }
  if (error instanceof HTTPError) {
    return new DeliveryError('transient', `Discord: HTTP ${error.status}`, { cause: error });
  }
  return new DeliveryError('transient', `Discord: ${(error as Error).message}`, { cause: error });
}
