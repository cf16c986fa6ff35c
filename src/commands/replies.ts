import type { NewsMessage } from '../news-message.js';
import type { ChannelRef } from '../subscription.js';

/** Who asked, and where: a command only ever changes its own channel. */
export interface CommandContext extends ChannelRef {
  userId: string;
  /** Whether this user may change the channel's subscription (Discord: Manage Channels). */
  canManageSubscriptions: boolean;
}

/** A platform-neutral answer; each adapter renders it. */
export interface ChatReply {
  text: string;
  posts: NewsMessage[];
  /** `channel`: everyone in the channel sees it; `private`: only the one who asked. */
  visibility: 'channel' | 'private';
}

/**
 * `now`: answer at once (from Redis). `later`: the answer needs a source; acknowledge with
 * `notice` first, then send `reply` when it settles (Slack's 3-second and Discord's
 * interaction deadlines).
 */
export type CommandResult =
  { kind: 'now'; reply: ChatReply } | { kind: 'later'; notice: string; reply: Promise<ChatReply> };

export function now(reply: ChatReply): CommandResult {
  return { kind: 'now', reply };
}

export function privateText(text: string): ChatReply {
  return { text, posts: [], visibility: 'private' };
}

export function channelText(text: string): ChatReply {
  return { text, posts: [], visibility: 'channel' };
}

export function postsReply(text: string, posts: NewsMessage[]): ChatReply {
  return { text, posts, visibility: 'channel' };
}

export function refusal(): ChatReply {
  return privateText(
    '구독 설정은 채널 관리 권한(채널 관리 또는 서버 관리)이 있는 분만 바꿀 수 있습니다.',
  );
}

export function unknownSource(name: string): ChatReply {
  return privateText(
    `‘${name}’라는 소스가 없습니다. \`/news 소스\`로 이 봇이 읽는 소스를 볼 수 있습니다.`,
  );
}

export function channelOf(ctx: CommandContext): ChannelRef {
  return { platform: ctx.platform, workspaceId: ctx.workspaceId, channelId: ctx.channelId };
}

/** `‘탄소’, ‘환경부’` */
export function quoted(words: readonly string[]): string {
  return words.map((k) => `‘${k}’`).join(', ');
}
