import { DeliveryError, type Notifier, type SendOptions } from '../../src/ports/notifier.js';
import type { NewsDigest } from '../../src/model/news-digest.js';
import type { NewsMessage, SourceNotice } from '../../src/model/news-message.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import type { Platform } from '../../src/platforms/platform-registry.js';

export interface SentAlert {
  channelId: string;
  boardNo: number;
  title: string;
  idempotencyKey: string;
  /** Present when the alert went in the platform's plainest form (after a refusal). */
  plain?: true;
}

/** A failure to raise on one attempt, as a platform answers. */
export type Failure =
  | { kind: 'permanent'; code: string }
  | { kind: 'rate-limited'; retryAfterMs: number; scope?: 'channel' | 'global' }
  | { kind: 'transient' }
  /** The platform refuses this message's content (one attempt: the plain form may pass). */
  | { kind: 'rejected'; code: string }
  /** The platform refuses the bot's token: for the whole platform, or one workspace's. */
  | { kind: 'unauthorized'; scope?: 'workspace' };

/** One call of a notifier's send, edit or digest: its channel, when, and the failure raised. */
export interface Attempt {
  channelId: string;
  /** `Date.now()` when it was made: the clock BullMQ delays retries by. */
  at: number;
  failure: Failure | null;
}

/**
 * A notifier that records what it sends and fails on demand, per channel: each attempt (a
 * send, its plain retry, an edit, a digest) takes the next of the channel's `failures`, else
 * its `alwaysFail`.
 */
export class RecordingNotifier implements Notifier {
  readonly sent: SentAlert[] = [];
  /** Failures to raise on the next attempts to a channel, in order. */
  readonly failures = new Map<string, Failure[]>();
  /** Channels that always fail this way. */
  readonly alwaysFail = new Map<string, Failure>();
  /** Channels whose notices always fail this way (alerts are told by the two maps above). */
  readonly noticeFailures = new Map<string, Failure>();
  attempts = 0;
  /** Every send, edit and digest, in order, failed or not. */
  readonly attemptLog: Attempt[] = [];

  constructor(readonly platform: Platform = 'slack') {}

  /** Message ids given out (shaped like Slack's `ts`), to the alert's place in `sent`. */
  private readonly ids = new Map<string, number>();

  /** Records the alert; its id looks like Slack's `ts`, as long as a real one. */
  send(
    channel: ChannelRef,
    message: NewsMessage,
    idempotencyKey: string,
    options: SendOptions = {},
  ): Promise<string> {
    const failure = this.attempt(channel);
    if (failure) return Promise.reject(toError(failure));
    this.sent.push({
      channelId: channel.channelId,
      boardNo: message.boardNo,
      title: message.title,
      idempotencyKey,
      ...(options.plain ? { plain: true as const } : {}),
    });
    const index = this.sent.length - 1;
    this.contents[index] = message;
    const id = `${Math.floor(Date.now() / 1000)}.${String(index).padStart(6, '0')}`;
    this.ids.set(id, index);
    return Promise.resolve(id);
  }

  /** Edits made, in order: which message, and the title it was given. */
  readonly edits: Array<{ channelId: string; messageId: string; title: string }> = [];

  /** Fails like `send`; replaces the title of the alert it edits in `sent`. */
  edit(channel: ChannelRef, messageId: string, message: NewsMessage): Promise<void> {
    const failure = this.attempt(channel);
    if (failure) return Promise.reject(toError(failure));
    this.edits.push({ channelId: channel.channelId, messageId, title: message.title });
    const index = this.ids.get(messageId);
    const alert = index === undefined ? undefined : this.sent[index];
    if (alert) alert.title = message.title;
    if (index !== undefined) this.contents[index] = message;
    return Promise.resolve();
  }

  /** What each alert in `sent` shows now (its last edit, else as sent), by its place there. */
  readonly contents: NewsMessage[] = [];

  /** The messages a channel's alerts show now, in the order they were sent. */
  shownIn(channelId: string): NewsMessage[] {
    return this.contents.filter((_, i) => this.sent[i]!.channelId === channelId);
  }

  readonly notices: Array<{ channelId: string; notice: SourceNotice }> = [];
  readonly digests: Array<{
    channelId: string;
    digest: NewsDigest;
    idempotencyKey: string;
    at: Date;
    plain?: true;
  }> = [];

  /** Fails like `send`, per channel; records the digest with when it arrived. */
  sendDigest(
    channel: ChannelRef,
    digest: NewsDigest,
    idempotencyKey: string,
    options: SendOptions = {},
  ): Promise<void> {
    const failure = this.attempt(channel);
    if (failure) return Promise.reject(toError(failure));
    this.digests.push({
      channelId: channel.channelId,
      digest,
      idempotencyKey,
      at: new Date(),
      ...(options.plain ? { plain: true as const } : {}),
    });
    return Promise.resolve();
  }

  /** The board numbers of each digest a channel received, digest by digest. */
  digestsOf(channelId: string): number[][] {
    return this.digests
      .filter((d) => d.channelId === channelId)
      .map((d) => [...d.digest.posts.map((p) => p.boardNo), ...d.digest.notListed]);
  }

  sendNotice(channel: ChannelRef, notice: SourceNotice): Promise<void> {
    const failure = this.noticeFailures.get(channel.channelId);
    if (failure) return Promise.reject(toError(failure));
    this.notices.push({ channelId: channel.channelId, notice });
    return Promise.resolve();
  }

  /** Counts and logs one call to `channel`; the failure it must raise, if any. */
  private attempt(channel: ChannelRef): Failure | undefined {
    this.attempts++;
    const failure =
      this.failures.get(channel.channelId)?.shift() ?? this.alwaysFail.get(channel.channelId);
    this.attemptLog.push({
      channelId: channel.channelId,
      at: Date.now(),
      failure: failure ?? null,
    });
    return failure;
  }

  /** Board numbers each channel received, in the order received. */
  byChannel(): Record<string, number[]> {
    const result: Record<string, number[]> = {};
    for (const alert of this.sent) (result[alert.channelId] ??= []).push(alert.boardNo);
    return result;
  }
}

function toError(failure: Failure): DeliveryError {
  switch (failure.kind) {
    case 'permanent':
      return new DeliveryError('permanent', `channel failed: ${failure.code}`, {
        code: failure.code,
      });
    case 'rate-limited':
      return new DeliveryError('rate-limited', 'rate limited', {
        retryAfterMs: failure.retryAfterMs,
        scope: failure.scope ?? 'channel',
      });
    case 'transient':
      return new DeliveryError('transient', 'temporary failure');
    case 'rejected':
      return new DeliveryError('rejected', `message refused: ${failure.code}`, {
        code: failure.code,
      });
    case 'unauthorized':
      return new DeliveryError('unauthorized', 'token refused', {
        code: 'invalid_auth',
        ...(failure.scope ? { scope: failure.scope } : {}),
      });
  }
}
