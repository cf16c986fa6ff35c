import type { PostArchive, SourceStateStore } from '../archive.js';
import type { DeliveryLog } from '../delivery-log.js';
import { formatDuration } from '../duration.js';
import { describeError, redactUrl } from '../errors.js';
import { findPost } from '../find-post.js';
import type { Logger } from '../logger.js';
import { newsMessage, type NewsMessage } from '../news-message.js';
import { koreaDateTime, type Post } from '../post.js';
import type { PlatformStatusStore } from '../platform-status.js';
import type { NewsSource } from '../source.js';
import type { ChannelRef, SubscriptionStore } from '../subscription.js';
import { unsubscribeChannel } from '../unsubscribe.js';
import { LIMITS, parseCommand, type Command } from './parse-command.js';

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
 * `now`: answer at once (from Redis). `later`: the answer needs the board; acknowledge with
 * `notice` first, then send `reply` when it settles (Slack's 3-second and Discord's
 * interaction deadlines).
 */
export type CommandResult =
  { kind: 'now'; reply: ChatReply } | { kind: 'later'; notice: string; reply: Promise<ChatReply> };

export interface CommandServiceDeps {
  source: NewsSource;
  archive: PostArchive;
  states: SourceStateStore;
  subscriptions: SubscriptionStore;
  deliveryLog: Pick<DeliveryLog, 'lastDelivered' | 'problems' | 'forgetChannel'>;
  platformStates: Pick<PlatformStatusStore, 'get'>;
  pollIntervalMs: number;
  logger: Logger;
}

const HELP = [
  '*ESG 정책뉴스 봇 사용법*',
  '`/news 1645` 1645번 글 보기',
  `\`/news 최신 [개수]\` 최신 글 보기 (기본 ${LIMITS.latestDefault}건, 최대 ${LIMITS.latestMax}건)`,
  '`/news 검색 탄소중립` 제목·담당부서에서 검색',
  '`/news 구독` 이 채널로 새 글 알림 받기 · `/news 구독 탄소 환경부` 키워드가 들어간 글만',
  '`/news 구독해지` 알림 그만 받기',
  '`/news 상태` 구독 설정과 최근 확인 시각 보기',
  '영어 명령도 됩니다: latest, search, subscribe, unsubscribe, status, help',
].join('\n');

/** The `/news` command set, the same on every platform. */
export class CommandService {
  constructor(private readonly deps: CommandServiceDeps) {}

  async run(ctx: CommandContext, text: string): Promise<CommandResult> {
    const command = parseCommand(text);
    try {
      return await this.execute(ctx, command);
    } catch (error) {
      this.deps.logger.error({ err: error, command: command.kind }, 'command failed');
      return now(privateText('요청을 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.'));
    }
  }

  /**
   * Posts to suggest while a user types (Discord autocomplete): the newest posts, those whose
   * number starts with the digits typed, or those whose title or ministry contains the text.
   * Command words get no suggestions, so typing `검색 …` is left alone.
   */
  async suggest(text: string, limit = 25): Promise<Array<{ boardNo: number; title: string }>> {
    const { archive, source } = this.deps;
    const query = text.trim().replace(/^#/, '');
    let posts: Post[];
    if (query === '') posts = await archive.newest(source.id, limit);
    else if (/^\d+$/.test(query)) {
      posts = (await archive.newest(source.id, 500)).filter((p) =>
        String(p.boardNo).startsWith(query),
      );
    } else if (parseCommand(query).kind !== 'invalid' || query.includes(' ')) posts = [];
    else posts = await archive.search(source.id, [query], limit);
    return posts.slice(0, limit).map((p) => ({ boardNo: p.boardNo, title: p.title }));
  }

  private async execute(ctx: CommandContext, command: Command): Promise<CommandResult> {
    switch (command.kind) {
      case 'lookup':
        return this.lookup(command.boardNo);
      case 'latest':
        return now(await this.latest(command.count));
      case 'search':
        return now(await this.search(command.words));
      case 'subscribe':
        return now(await this.subscribe(ctx, command.keywords));
      case 'unsubscribe':
        return now(await this.unsubscribe(ctx));
      case 'status':
        return now(await this.status(ctx));
      case 'help':
        return now(privateText(HELP));
      case 'invalid':
        return now(privateText(`${command.problem}\n\`/news 도움말\`로 사용법을 볼 수 있습니다.`));
    }
  }

  private async lookup(boardNo: number): Promise<CommandResult> {
    const { archive, source } = this.deps;
    const archived = await archive.get(source.id, boardNo);
    if (archived) return now(postsReply('', [newsMessage(archived)]));
    const reply = findPost({ source, archive }, boardNo).then(
      (post) =>
        post
          ? postsReply('', [newsMessage(post)])
          : privateText(`${boardNo}번 글이 없습니다 (없는 번호이거나 삭제된 글입니다).`),
      (error: unknown) => {
        this.deps.logger.warn({ err: describeError(error), boardNo }, 'lookup on the board failed');
        return privateText('게시판을 읽지 못했습니다. 잠시 후 다시 시도해 주세요.');
      },
    );
    return { kind: 'later', notice: `게시판에서 ${boardNo}번 글을 찾고 있습니다…`, reply };
  }

  private async latest(count: number): Promise<ChatReply> {
    const posts = await this.deps.archive.newest(this.deps.source.id, count);
    if (posts.length === 0)
      return privateText('아직 저장된 글이 없습니다. 게시판을 처음 읽고 나면 볼 수 있습니다.');
    return postsReply(`최신 ESG 정책뉴스 ${posts.length}건`, posts.map(newsMessage));
  }

  private async search(words: string[]): Promise<ChatReply> {
    const posts = await this.deps.archive.search(this.deps.source.id, words, LIMITS.searchResults);
    const query = words.join(' ');
    if (posts.length === 0) return privateText(`‘${query}’에 맞는 글이 없습니다.`);
    return postsReply(`‘${query}’ 검색 결과 ${posts.length}건 (최신순)`, posts.map(newsMessage));
  }

  private async subscribe(ctx: CommandContext, keywords: string[]): Promise<ChatReply> {
    if (!ctx.canManageSubscriptions) return refusal();
    const channel = channelOf(ctx);
    const existing = await this.deps.subscriptions.get(channel);
    await this.deps.subscriptions.subscribe({
      ...channel,
      keywords,
      createdAt: existing?.createdAt ?? new Date().toISOString(),
    });
    const what =
      keywords.length === 0
        ? '새 ESG 정책뉴스를 모두 이 채널로 보내 드립니다.'
        : `제목이나 담당부서에 ${keywords.map((k) => `‘${k}’`).join(', ')} 중 하나가 들어간 새 글을 이 채널로 보내 드립니다.`;
    const head = existing ? '구독 설정을 바꿨습니다.' : '이 채널을 구독했습니다.';
    return { text: `${head} ${what}`, posts: [], visibility: 'channel' };
  }

  private async unsubscribe(ctx: CommandContext): Promise<ChatReply> {
    if (!ctx.canManageSubscriptions) return refusal();
    const removed = await unsubscribeChannel(this.deps, channelOf(ctx));
    return removed
      ? {
          text: '구독을 해지했습니다. 이 채널로 더 이상 알림을 보내지 않습니다.',
          posts: [],
          visibility: 'channel',
        }
      : privateText('이 채널은 구독 중이 아닙니다.');
  }

  private async status(ctx: CommandContext): Promise<ChatReply> {
    const { source, states, subscriptions, deliveryLog, platformStates, pollIntervalMs } =
      this.deps;
    const channel = channelOf(ctx);
    const [subscription, state, last, problems, platform] = await Promise.all([
      subscriptions.get(channel),
      states.get(source.id),
      deliveryLog.lastDelivered(channel),
      deliveryLog.problems(channel),
      platformStates.get(channel.platform),
    ]);
    const lines = ['*이 채널*'];
    if (!subscription) lines.push('• 구독: 안 함 (`/news 구독`으로 시작)');
    else if (subscription.keywords.length === 0) lines.push('• 구독: 모든 새 글');
    else lines.push(`• 구독: 키워드 ${subscription.keywords.map((k) => `‘${k}’`).join(', ')}`);
    lines.push(
      last
        ? `• 마지막 알림: ${last.boardNo}번 (${koreaDateTime(last.at)})`
        : '• 마지막 알림: 아직 없음',
    );
    if (platform.state === 'unauthorized') {
      lines.push(
        `• ⚠️ 알림 전송 중단: ${koreaDateTime(platform.since)}부터 이 플랫폼이 봇의 토큰을 거부하고 있습니다. ` +
          '구독과 보낼 글은 그대로 두었다가 운영자가 토큰을 고치면 이어서 보내 드립니다.',
      );
    }
    if (problems.refused + problems.givenUp > 0) {
      const parts = [];
      if (problems.refused > 0) parts.push(`플랫폼이 거부한 글 ${problems.refused}건`);
      if (problems.givenUp > 0) parts.push(`오래 실패해 포기한 글 ${problems.givenUp}건`);
      const last = problems.last;
      lines.push(
        `• 보내지 못한 알림: ${parts.join(', ')}` +
          (last ? ` (마지막: ${last.boardNo}번, ${koreaDateTime(last.at)}, ${last.reason})` : ''),
      );
    }
    lines.push(
      '*뉴스 소스*',
      `• 주소: ${redactUrl(source.url)}`,
      `• 확인 주기: ${formatDuration(pollIntervalMs)}`,
    );
    lines.push(
      `• 마지막 정상 확인: ${state.lastSuccessAt ? koreaDateTime(state.lastSuccessAt) : '아직 없음'}`,
      `• 최신 번호: ${state.cursor ?? '아직 없음'}`,
    );
    if (state.notBefore && state.notBefore > new Date()) {
      lines.push(
        `• 다음 확인: ${koreaDateTime(state.notBefore)} 이후 (게시판이 그때까지 기다려 달라고 했습니다)`,
      );
    }
    if (state.lastError && state.lastErrorAt) {
      const recovered = state.lastSuccessAt && state.lastSuccessAt > state.lastErrorAt;
      lines.push(
        `• 최근 오류: ${koreaDateTime(state.lastErrorAt)} ${state.lastError}${recovered ? ' (이후 정상)' : ''}`,
      );
    } else {
      lines.push('• 최근 오류: 없음');
    }
    lines.push('(시각은 한국 시간)');
    return privateText(lines.join('\n'));
  }
}

function now(reply: ChatReply): CommandResult {
  return { kind: 'now', reply };
}

function privateText(text: string): ChatReply {
  return { text, posts: [], visibility: 'private' };
}

function postsReply(text: string, posts: NewsMessage[]): ChatReply {
  return { text, posts, visibility: 'channel' };
}

function refusal(): ChatReply {
  return privateText(
    '구독 설정은 채널 관리 권한(채널 관리 또는 서버 관리)이 있는 분만 바꿀 수 있습니다.',
  );
}

function channelOf(ctx: CommandContext): ChannelRef {
  return { platform: ctx.platform, workspaceId: ctx.workspaceId, channelId: ctx.channelId };
}
