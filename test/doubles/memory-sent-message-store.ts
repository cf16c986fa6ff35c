import type { ChannelRef } from '../../src/model/subscription.js';
import type { DeliveryTarget } from '../../src/ports/delivery-log.js';
import {
  SENT_MESSAGE_RETENTION_MS,
  type SentMessage,
  type SentMessageStore,
} from '../../src/ports/sent-message-store.js';

/**
 * The messages that carried each alert, in memory, with the port's semantics (see
 * `sent-message-store.contract.ts`): one message per (post, channel), the post's messages
 * kept for the retention after its last alert was remembered.
 */
export class MemorySentMessageStore implements SentMessageStore {
  /** `source|boardNo` → channel key → the channel and its message; and when they lapse. */
  private readonly posts = new Map<string, { messages: Map<string, SentMessage>; until: number }>();

  constructor(
    private readonly retentionMs = SENT_MESSAGE_RETENTION_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  remember(target: DeliveryTarget, messageId: string): Promise<void> {
    const post = this.live(target.sourceId, target.boardNo) ?? { messages: new Map(), until: 0 };
    const { platform, workspaceId, channelId } = target.channel;
    post.messages.set(field(target.channel), {
      channel: { platform, workspaceId, channelId },
      messageId,
    });
    post.until = this.clock() + this.retentionMs;
    this.posts.set(postKey(target.sourceId, target.boardNo), post);
    return Promise.resolve();
  }

  list(sourceId: string, boardNo: number): Promise<SentMessage[]> {
    const messages = [...(this.live(sourceId, boardNo)?.messages.values() ?? [])];
    return Promise.resolve(
      messages.map((m) => ({ channel: { ...m.channel }, messageId: m.messageId })),
    );
  }

  forget(target: DeliveryTarget): Promise<void> {
    const post = this.live(target.sourceId, target.boardNo);
    post?.messages.delete(field(target.channel));
    if (post?.messages.size === 0) this.posts.delete(postKey(target.sourceId, target.boardNo));
    return Promise.resolve();
  }

  private live(sourceId: string, boardNo: number) {
    const key = postKey(sourceId, boardNo);
    const post = this.posts.get(key);
    if (post && post.until > this.clock()) return post;
    this.posts.delete(key);
    return undefined;
  }
}

function postKey(sourceId: string, boardNo: number): string {
  return `${sourceId}|${boardNo}`;
}

function field(channel: ChannelRef): string {
  return JSON.stringify([channel.platform, channel.workspaceId, channel.channelId]);
}
