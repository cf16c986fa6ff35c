import { readKeywords, typedTerm } from '../model/keyword-filter.js';
import type { NewsMessage } from '../model/news-message.js';
import type { ChannelRef } from '../model/subscription.js';
import type { Platform } from '../platforms/platform-registry.js';
import { LIMITS } from './parse-command.js';

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

/**
 * The answer to someone who may not change the channel's subscriptions, naming who may in the
 * platform's own terms: a Telegram group's creator and administrators, elsewhere the channel
 * permissions (Discord's Manage Channels or Manage Server; Slack lets everyone).
 */
export function refusal(platform: Platform): ChatReply {
  if (platform === 'telegram') {
    return privateText('구독 설정은 그룹 관리자(소유자 또는 관리자)만 바꿀 수 있습니다.');
  }
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

/**
 * A channel's keywords as `/news 상태` shows them, written as they are typed:
 * `키워드: 탄소, "탄소 중립" · 제외: 해외`; `모든 새 글` for none.
 */
export function keywordsText(keywords: readonly string[]): string {
  const { include, exclude } = readKeywords(keywords);
  const parts = [
    include.length > 0 ? `키워드: ${include.map(typedTerm).join(', ')}` : '모든 새 글',
  ];
  if (exclude.length > 0) parts.push(`제외: ${exclude.map(typedTerm).join(', ')}`);
  return parts.join(' · ');
}

/** What a subscription sends, in a sentence: the answer to `/news 구독`. */
export function keywordsSentence(label: string, keywords: readonly string[]): string {
  const { include, exclude } = readKeywords(keywords);
  const where = '제목·담당부서·요약에';
  const what =
    include.length === 0
      ? `${label}의 새 글을 ${exclude.length === 0 ? '모두 ' : ''}이 채널로 보내 드립니다.`
      : `${label}의 새 글 중 ${where} ${quoted(include)} 중 하나가 들어간 글을 이 채널로 보내 드립니다.`;
  if (exclude.length === 0) return what;
  const except = `${include.length === 0 ? where : '그중'} 제외어(${quoted(exclude)})가 들어간 글은 보내지 않습니다.`;
  return `${what} ${except}`;
}

/** `/news 도움말`: every command with an example; the keyword forms spelled out. */
export function helpText(): string {
  return [
    '*뉴스 봇 사용법*',
    '`/news 1645` 기본 소스의 1645번 글 보기 · `/news korea 156581997` 다른 소스의 글 보기',
    `\`/news 최신 [소스] [개수]\` 최신 글 보기 (기본 ${LIMITS.latestDefault}건, 최대 ${LIMITS.latestMax}건)`,
    '`/news 검색 탄소중립` 모든 소스의 제목·담당부서에서 검색',
    '`/news 소스` 이 봇이 읽는 소스 목록',
    '`/news 구독 [소스] [키워드…]` 이 채널로 새 글 알림 받기 (예: `/news 구독 korea 탄소 환경부`)',
    '  · 키워드는 제목·담당부서·요약에서 찾으며, 하나라도 들어 있으면 보냅니다 (`탄소`는 ‘탄소중립을’도 찾음)',
    '  · `-제외어`: 그 말이 들어간 글은 빼기 (예: `/news 구독 탄소 -해외`)',
    '  · `"구 절"`: 띄어 쓴 말을 한 덩어리로 찾기, 띄어쓰기는 달라도 됨 (예: `/news 구독 "탄소 중립" -"해외 사업"`)',
    `  · 키워드와 제외어는 합쳐서 ${LIMITS.keywordsMax}개까지, 다시 구독하면 새 키워드로 바뀝니다`,
    '`/news 구독 https://…/rss` 새 RSS·Atom 피드나 게시판을 소스로 추가하고 구독',
    '`/news 구독해지 [소스]` 그 소스(또는 전부)의 알림 그만 받기',
    '`/news 요약 09:00` 새 글을 바로 보내지 않고 매일 그 시각(한국 시간)에 요약 한 건으로 받기',
    '  · 여러 번: `/news 요약 09:00 18:00` · 평일만: `/news 요약 평일 09:00` · 끄기: `/news 요약 끄기`',
    '`/news 방해금지 22:00-07:00` 그 시간에 나온 글은 끝날 때 모아서 받기 (끄기: `/news 방해금지 끄기`)',
    '`/news 상태` 이 채널의 구독(키워드·제외어), 요약·방해금지 설정, 소스의 최근 확인 시각 보기',
    '영어 명령도 됩니다: latest, search, sources, subscribe, unsubscribe, digest, quiet, status, help',
  ].join('\n');
}
