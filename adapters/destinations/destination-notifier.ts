import { createHash, randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { DestinationSecrets } from '../../src/model/destination.js';
import type { NewsDigest } from '../../src/model/news-digest.js';
import {
  sampleMessage,
  type NewsMessage,
  type SourceNotice,
} from '../../src/model/news-message.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import type { Platform } from '../../src/platforms/platform-registry.js';
import { DestinationKeyMissing, type DestinationStore } from '../../src/ports/destination-store.js';
import { DeliveryError, type Notifier, type SendOptions } from '../../src/ports/notifier.js';
import { WrongKeyError } from '../../src/util/token-cipher.js';
import { AddressRefusedError, createAddressGuard } from '../sources/address-guard.js';
import type { DestinationFormat, RenderContext } from './destination-format.js';
import { postToDestination, type DestinationAnswer } from './destination-http.js';
import type { DestinationSpacing } from './destination-spacing.js';

export interface DestinationNotifierOptions {
  platform: Platform;
  format: DestinationFormat;
  store: Pick<DestinationStore, 'secrets' | 'list'>;
  timeoutMs: number;
  /** `ALLOW_PRIVATE_DESTINATIONS`: plain HTTP and private addresses accepted. */
  allowPrivate: boolean;
  /** Each destination's own spacing and 429 holds; absent: none kept (the contract tests). */
  spacing?: Pick<DestinationSpacing, 'tryTake' | 'hold'>;
  now?: () => Date;
}

/**
 * Posts alerts to webhook destinations (Teams, JANDI, Dooray!, signed webhooks): finds the
 * destination's URL (decrypted), renders the message in the platform's format, refuses what
 * is over the platform's size before sending, and POSTs it over connections pinned to public
 * addresses. A destination cannot edit what it showed: `send` returns the delivery id as the
 * message's reference, and `edit` posts a `[정정]` follow-up naming that alert.
 */
export class DestinationNotifier implements Notifier {
  readonly platform: Platform;
  private readonly dispatcher: Dispatcher | undefined;

  constructor(private readonly options: DestinationNotifierOptions) {
    this.platform = options.platform;
    // The guard's dispatcher checks every address where the socket connects (DNS rebinding).
    this.dispatcher = options.allowPrivate ? undefined : createAddressGuard().dispatcher;
  }

  async send(
    channel: ChannelRef,
    message: NewsMessage,
    idempotencyKey: string,
    options: SendOptions = {},
  ): Promise<string> {
    await this.post(channel, idempotencyKey, options, (context) =>
      this.options.format.alert(message, context),
    );
    return idempotencyKey;
  }

  async edit(
    channel: ChannelRef,
    messageId: string,
    message: NewsMessage,
    options: SendOptions = {},
  ): Promise<void> {
    // One id per correction of one alert, the same for each retry of it.
    const version = createHash('sha256')
      .update(`${message.title}\n${message.ministry ?? ''}`)
      .digest('base64url')
      .slice(0, 8);
    await this.post(channel, `${messageId}.${version}`, options, (context) =>
      this.options.format.correction(message, { ...context, corrects: messageId }),
    );
  }

  async sendDigest(
    channel: ChannelRef,
    digest: NewsDigest,
    idempotencyKey: string,
    options: SendOptions = {},
  ): Promise<void> {
    await this.post(channel, idempotencyKey, options, (context) =>
      this.options.format.digest(digest, context),
    );
  }

  async sendNotice(channel: ChannelRef, notice: SourceNotice, idempotencyKey: string) {
    await this.post(channel, idempotencyKey, { plain: true }, (context) =>
      this.options.format.notice(notice, context),
    );
  }

  /**
   * The platform's "credential" is the key the destinations are sealed with: refused when a
   * stored destination does not open with it (a wrong or missing `TOKEN_ENCRYPTION_KEY`).
   */
  async verify(): Promise<void> {
    const [first] = await this.options.store.list(this.platform);
    if (first) await this.secretsOf(first.channel);
  }

  /**
   * Posts a sample alert (`destinations test`, the panel's test button) and returns what the
   * destination answered; throws `DeliveryError` as `send` does.
   */
  test(channel: ChannelRef): Promise<DestinationAnswer> {
    const message = sampleMessage((this.options.now ?? (() => new Date()))());
    return this.post(channel, `test-${randomUUID()}`, { test: true }, (context) =>
      this.options.format.alert(message, context),
    );
  }

  private async post(
    channel: ChannelRef,
    deliveryId: string,
    options: SendOptions & { test?: boolean },
    render: (context: RenderContext) => unknown,
  ): Promise<DestinationAnswer> {
    const secrets = await this.secretsOf(channel);
    const context: RenderContext = {
      deliveryId,
      plain: options.plain ?? false,
      now: (this.options.now ?? (() => new Date()))(),
      ...(options.test ? { test: true } : {}),
    };
    const body = JSON.stringify(render(context));
    const bytes = Buffer.byteLength(body);
    if (bytes > this.options.format.maxBytes) {
      throw new DeliveryError(
        'rejected',
        `the message is ${bytes} bytes, over the ${this.options.format.maxBytes} the platform takes`,
        { code: 'too-large' },
      );
    }
    const url = this.checkedUrl(secrets.url);
    const waitMs = (await this.options.spacing?.tryTake(channel)) ?? 0;
    if (waitMs > 0) {
      throw new DeliveryError('rate-limited', 'spacing messages to this destination', {
        retryAfterMs: waitMs,
        scope: 'channel',
        ownLimit: true,
      });
    }
    try {
      const answer = await postToDestination(url, body, {
        headers: this.options.format.headers?.(body, secrets, context) ?? {},
        timeoutMs: this.options.timeoutMs,
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      });
      const failure = this.options.format.failureIn?.(answer);
      if (failure) throw failure;
      return answer;
    } catch (error) {
      throw await this.understood(channel, error);
    }
  }

  private async secretsOf(channel: ChannelRef): Promise<DestinationSecrets> {
    let secrets: DestinationSecrets | null;
    try {
      secrets = await this.options.store.secrets(channel);
    } catch (error) {
      if (error instanceof DestinationKeyMissing || error instanceof WrongKeyError) {
        // No destination of the platform opens: the platform waits until the key is right.
        const why =
          error instanceof WrongKeyError
            ? 'TOKEN_ENCRYPTION_KEY does not open the stored destinations: it is not the key they were added with'
            : error.message;
        throw new DeliveryError('unauthorized', why, { code: 'encryption-key' });
      }
      throw error;
    }
    if (!secrets) {
      throw new DeliveryError('permanent', 'the destination was removed', {
        code: 'destination-removed',
      });
    }
    return secrets;
  }

  /** Only https reaches a destination unless private ones are allowed (checked when added too). */
  private checkedUrl(url: string): string {
    const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
    const allowed = this.options.allowPrivate ? ['https:', 'http:'] : ['https:'];
    if (!allowed.includes(scheme)) {
      throw new DeliveryError('permanent', `the destination's URL is not https`, {
        code: 'scheme',
      });
    }
    return url;
  }

  /** A refused address is the destination's fault for good; a 429 holds the destination. */
  private async understood(channel: ChannelRef, error: unknown): Promise<unknown> {
    if (error instanceof DeliveryError) {
      if (error.kind === 'rate-limited' && !error.details.ownLimit) {
        await this.options.spacing?.hold(channel, error.details.retryAfterMs ?? 1_000);
      }
      if (error.kind === 'transient' && refusedAddress(error)) {
        return new DeliveryError('permanent', 'the destination is not on a public address', {
          code: 'address-refused',
        });
      }
    }
    return error;
  }
}

function refusedAddress(error: DeliveryError): boolean {
  let current: unknown = error.details.cause;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof AddressRefusedError) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
