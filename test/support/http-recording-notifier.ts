import { DeliveryError, type Notifier } from '../../src/ports/notifier.js';
import type { NewsDigest } from '../../src/model/news-digest.js';
import type { NewsMessage, SourceNotice } from '../../src/model/news-message.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import type { Platform } from '../../src/platforms/platform-registry.js';

/**
 * A notifier that posts each alert to a local HTTP endpoint, like a chat API would: used by
 * tests that run the bot in a child process and count, on the receiving side, what arrived.
 */
export class HttpRecordingNotifier implements Notifier {
  constructor(
    private readonly url: string,
    readonly platform: Platform = 'slack',
  ) {}

  /** Posts the alert; its id is its idempotency key (no platform to give one). */
  async send(channel: ChannelRef, message: NewsMessage, idempotencyKey: string): Promise<string> {
    await this.post({ channelId: channel.channelId, boardNo: message.boardNo, idempotencyKey });
    return idempotencyKey;
  }

  sendDigest(channel: ChannelRef, digest: NewsDigest, idempotencyKey: string): Promise<void> {
    const boardNos = [...digest.posts.map((p) => p.boardNo), ...digest.notListed];
    return this.post({ channelId: channel.channelId, digest: boardNos, idempotencyKey });
  }

  sendNotice(channel: ChannelRef, notice: SourceNotice, idempotencyKey: string): Promise<void> {
    return this.post({ channelId: channel.channelId, notice: notice.kind, idempotencyKey });
  }

  private async post(body: Record<string, unknown>): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).catch((error: unknown) => {
      throw new DeliveryError('transient', 'chat endpoint unreachable', { cause: error });
    });
    if (!response.ok) {
      throw new DeliveryError('transient', `chat endpoint answered ${response.status}`);
    }
  }
}
