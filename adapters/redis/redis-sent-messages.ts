import type { DeliveryTarget } from '../../src/ports/delivery-log.js';
import {
  SENT_MESSAGE_RETENTION_MS,
  type SentMessage,
  type SentMessageStore,
} from '../../src/ports/sent-message-store.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';

/**
 * One hash per post, expiring {@link SENT_MESSAGE_RETENTION_MS} after the post's last alert
 * was recorded: field `[platform, workspace, channel]` as JSON (readable back, unlike the
 * channel key), value the platform's message id. One entry per delivery, so nothing more.
 */
export class RedisSentMessageStore implements SentMessageStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs = SENT_MESSAGE_RETENTION_MS,
  ) {}

  async remember(target: DeliveryTarget, messageId: string): Promise<void> {
    const key = this.keys.sentMessages(target.sourceId, target.boardNo);
    // Two commands in one round trip (the store connection pipelines), not a transaction: a
    // lost PEXPIRE is set again by the post's next alert.
    await Promise.all([
      this.redis.hset(key, field(target.channel), messageId),
      this.redis.pexpire(key, this.retentionMs),
    ]);
  }

  async list(sourceId: string, boardNo: number): Promise<SentMessage[]> {
    const entries = await this.redis.hgetall(this.keys.sentMessages(sourceId, boardNo));
    return Object.entries(entries).map(([stored, messageId]) => {
      const [platform, workspaceId, channelId] = JSON.parse(stored) as [
        ChannelRef['platform'],
        string,
        string,
      ];
      return { channel: { platform, workspaceId, channelId }, messageId };
    });
  }

  async forget(target: DeliveryTarget): Promise<void> {
    await this.redis.hdel(
      this.keys.sentMessages(target.sourceId, target.boardNo),
      field(target.channel),
    );
  }
}

function field(channel: ChannelRef): string {
  return JSON.stringify([channel.platform, channel.workspaceId, channel.channelId]);
}
