import { describeError } from '../model/source-error.js';
import { findPost } from '../sources/find-post.js';
import { releaseMessages } from './release-lookup.js';
import type { Post } from '../model/post.js';
import { sourceLabel, type SourceRecord } from '../ports/source-registry.js';
import type { ChannelRef } from '../model/subscription.js';
import { viewerOf } from '../model/tenant.js';
import { LIMITS, parseCommand, type Command } from './parse-command.js';
import {
  helpText,
  now,
  postsReply,
  privateText,
  unknownSource,
  type CommandContext,
  type CommandResult,
  type ChatReply,
} from './replies.js';
import { setDigest, setQuiet } from './schedule-commands.js';
import { sourcesReply, statusReply } from './status-reply.js';
import { subscribe, unsubscribe } from './subscription-commands.js';

import type { CommandServiceDeps } from './command-deps.js';

export type { ChatReply, CommandContext, CommandResult } from './replies.js';

/** Posts of each source a `/news 검색` looks through, newest first. */
export const SEARCH_SCAN = 2_000;
/** Posts of each source one autocomplete keystroke looks through, newest first. */
export const SUGGEST_SCAN = 300;

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
   * What to suggest while a user types (Discord autocomplete): source names for a word that
   * starts one, the default source's posts by number, posts of every source by title.
   * Command words get no suggestions, so typing `검색 …` is left alone.
   */
  async suggest(
    channel: ChannelRef,
    text: string,
    limit = 25,
  ): Promise<Array<{ label: string; value: string }>> {
    const { archive } = this.deps;
    const query = text.trim().replace(/^#/, '');
    const sources = await this.deps.sources.visibleTo(viewerOf(channel));
    const defaultName = this.deps.sources.defaultName;
    const asChoice = (post: Post) => ({
      label: `${post.sourceId === defaultName ? '' : `${post.sourceId} `}${post.boardNo} · ${post.title}`,
      value:
        post.sourceId === defaultName ? String(post.boardNo) : `${post.sourceId} ${post.boardNo}`,
    });
    if (query === '') return (await archive.newest(defaultName, limit)).map(asChoice);
    if (/^\d+$/.test(query)) {
      const posts = await archive.newest(defaultName, 500);
      return posts
        .filter((p) => String(p.boardNo).startsWith(query))
        .slice(0, limit)
        .map(asChoice);
    }
    if (parseCommand(query).kind !== 'invalid' || query.includes(' ')) return [];
    const named = sources
      .filter((s) => s.name.startsWith(query.toLowerCase()))
      .map((s) => ({ label: `소스 ${s.name} · ${sourceLabel(s)}`, value: `최신 ${s.name}` }));
    // Every keystroke asks: each source is searched only among its newest posts.
    const found = await this.searchAll(sources, [query], limit, SUGGEST_SCAN);
    return [...named, ...found.map(asChoice)].slice(0, limit);
  }

  private async execute(ctx: CommandContext, command: Command): Promise<CommandResult> {
    switch (command.kind) {
      case 'lookup':
        return this.lookup(ctx, command.source, command.boardNo);
      case 'latest':
        return now(await this.latest(ctx, command.source, command.count));
      case 'search':
        return now(await this.search(ctx, command.words));
      case 'subscribe':
        return subscribe(this.deps, ctx, command.words);
      case 'unsubscribe':
        return now(await unsubscribe(this.deps, ctx, command.source));
      case 'sources':
        return now(await sourcesReply(this.deps, ctx));
      case 'status':
        return now(await statusReply(this.deps, ctx));
      case 'help':
        return now(privateText(helpText()));
      case 'digest':
        return now(await setDigest(this.deps, ctx, command.times, command.weekdaysOnly));
      case 'quiet':
        return now(await setQuiet(this.deps, ctx, command.window));
      case 'invalid':
        return now(privateText(`${command.problem}\n\`/news 도움말\`로 사용법을 볼 수 있습니다.`));
    }
  }

  private async lookup(
    ctx: CommandContext,
    name: string | null,
    boardNo: number,
  ): Promise<CommandResult> {
    const { archive, sources } = this.deps;
    const source = await sources.find(name ?? sources.defaultName, viewerOf(ctx));
    if (!source) return now(unknownSource(name ?? sources.defaultName));
    const visible = await sources.visibleTo(viewerOf(ctx));
    const found = (post: Post) => releaseMessages(archive, [post], visible);
    const archived = await archive.get(source.name, boardNo);
    if (archived) return now(postsReply('', await found(archived)));
    const reader = await sources.open(source.name);
    if (!reader) return now(unknownSource(source.name));
    const reply = findPost({ source: reader, archive }, boardNo).then(
      async (post) =>
        post
          ? postsReply('', await found(post))
          : privateText(`${boardNo}번 글이 없습니다 (없는 번호이거나 삭제된 글입니다).`),
      (error: unknown) => {
        this.deps.logger.warn(
          { err: describeError(error), source: source.name, boardNo },
          'lookup on the source failed',
        );
        return privateText('소스를 읽지 못했습니다. 잠시 후 다시 시도해 주세요.');
      },
    );
    return {
      kind: 'later',
      notice: `‘${sourceLabel(source)}’에서 ${boardNo}번 글을 찾고 있습니다…`,
      reply,
    };
  }

  private async latest(
    ctx: CommandContext,
    name: string | null,
    count: number,
  ): Promise<ChatReply> {
    const source = await this.deps.sources.find(
      name ?? this.deps.sources.defaultName,
      viewerOf(ctx),
    );
    if (!source) return unknownSource(name ?? this.deps.sources.defaultName);
    const posts = await this.deps.archive.newest(source.name, count);
    if (posts.length === 0) {
      return privateText('아직 저장된 글이 없습니다. 소스를 처음 읽고 나면 볼 수 있습니다.');
    }
    const visible = await this.deps.sources.visibleTo(viewerOf(ctx));
    return postsReply(
      `최신 ${sourceLabel(source)} ${posts.length}건`,
      await releaseMessages(this.deps.archive, posts, visible),
    );
  }

  private async search(ctx: CommandContext, words: string[]): Promise<ChatReply> {
    const sources = await this.deps.sources.visibleTo(viewerOf(ctx));
    const posts = await this.searchAll(sources, words, LIMITS.searchResults, SEARCH_SCAN);
    const query = words.join(' ');
    if (posts.length === 0) return privateText(`‘${query}’에 맞는 글이 없습니다.`);
    // One release carried by several sources is one result, naming the others.
    const messages = await releaseMessages(this.deps.archive, posts, sources);
    return postsReply(`‘${query}’ 검색 결과 ${messages.length}건 (최신순)`, messages);
  }

  /**
   * Matches in every source, newest first by date, then by number; each source searched
   * among its `scan` newest posts at most, so a search costs Redis the same however large
   * the archives grow.
   */
  private async searchAll(
    sources: readonly SourceRecord[],
    words: string[],
    limit: number,
    scan: number,
  ): Promise<Post[]> {
    const found = await Promise.all(
      sources.map((source) => this.deps.archive.search(source.name, words, limit, scan)),
    );
    return found
      .flat()
      .sort((a, b) => b.date.localeCompare(a.date) || b.boardNo - a.boardNo)
      .slice(0, limit);
  }
}

export { message } from './release-lookup.js';
