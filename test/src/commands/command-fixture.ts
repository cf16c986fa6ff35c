import { pino } from 'pino';
import { CommandService, type CommandContext } from '../../../src/commands/command-service.js';
import { parseConfig } from '../../../src/config/config.js';
import type { PollRhythms } from '../../../src/config/config-polling.js';
import type { SourceConfig } from '../../../src/config/source-config.js';
import type { NewsMessage } from '../../../src/model/news-message.js';
import type { Post } from '../../../src/model/post.js';
import type { FollowLimits } from '../../../src/ports/subscription-store.js';
import type { FollowUrlDeps } from '../../../src/sources/follow-source-url.js';
import { FakeClock } from '../../doubles/fake-clock.js';
import { MemoryBoardSource } from '../../doubles/memory-news-source.js';
import { MemorySourceCatalog } from '../../doubles/memory-source-catalog.js';
import { memoryStores } from '../../doubles/memory-stores.js';

export const CONFIGURED: SourceConfig[] = [
  { name: 'esg', url: 'https://k-esg.org/post' },
  { name: 'korea', url: 'https://www.korea.kr/rss/pressrelease.xml' },
];
export const ESG = { name: 'esg', label: 'ESG 정책뉴스' };
export const KOREA = { name: 'korea', label: '정책브리핑' };

/** A post of the ESG board, 1591 to 1652; 1620 was deleted. */
export function boardPost(boardNo: number, title = `ESG 글 ${boardNo}`): Post {
  return {
    sourceId: 'esg',
    boardNo,
    title,
    ministry: '환경부',
    date: `2026-12-${String(1 + (boardNo % 7)).padStart(2, '0')}`,
    url: `https://k-esg.org/post/${boardNo + 2739}`,
    originalUrl: null,
  };
}

/** The message a lookup or a list shows for a post of `source`. */
export function shown(post: Post, source: { name: string; label: string }): NewsMessage {
  return {
    source,
    title: post.title,
    url: post.url,
    ministry: post.ministry,
    date: post.date,
    boardNo: post.boardNo,
    originalUrl: post.originalUrl,
    summary: post.summary ?? null,
  };
}

export interface CommandFixtureOptions {
  limits?: Partial<FollowLimits>;
  sourcesFromChat?: boolean;
  probe?: FollowUrlDeps['probe'];
  /** The polling rhythms (default: the configuration's defaults). */
  pollRhythms?: PollRhythms;
}

/**
 * The command service over the memory doubles: two configured sources (a board `esg` with
 * posts 1591–1652 on it, the newest eight archived; a feed `korea` with nothing archived),
 * on a clock at Monday 2026-12-07 10:00 Korea time.
 */
export async function commandFixture(options: CommandFixtureOptions = {}) {
  const clock = new FakeClock('2026-12-07T01:00:00Z');
  const stores = memoryStores({ clock });
  await stores.registry.syncConfigured(CONFIGURED);
  await stores.registry.describe('esg', { displayName: ESG.label, kind: 'board' });
  await stores.registry.describe('korea', { displayName: KOREA.label, kind: 'feed' });
  const onBoard = Array.from({ length: 62 }, (_, i) => boardPost(1591 + i)).filter(
    (p) => p.boardNo !== 1620,
  );
  await stores.archive.save(onBoard.filter((p) => p.boardNo >= 1645));
  const board = new MemoryBoardSource('esg', onBoard, 10);
  const limits: FollowLimits = { perChannel: 10, perTenant: 20, sources: 100, ...options.limits };
  const logger = pino({ level: 'silent' });
  const catalog = new MemorySourceCatalog({
    registry: stores.registry,
    subscriptions: stores.subscriptions,
    configured: CONFIGURED,
    limits,
    readers: new Map([['esg', board]]),
    ...(options.probe ? { probe: options.probe } : {}),
    logger,
    now: clock.now,
  });
  const service = new CommandService({
    sources: catalog,
    archive: stores.archive,
    states: stores.states,
    subscriptions: stores.subscriptions,
    deliveryLog: stores.deliveryLog,
    platformStates: stores.platformStatus,
    pollRhythms: options.pollRhythms ?? parseConfig({}).pollRhythms,
    now: clock.now,
    sourcesFromChat: options.sourcesFromChat ?? true,
    maxSourcesPerChannel: limits.perChannel,
    schedules: stores.schedules,
    logger,
  });
  const ctx = (overrides: Partial<CommandContext> = {}): CommandContext => ({
    platform: 'slack',
    workspaceId: 'T1',
    channelId: 'C1',
    userId: 'U1',
    canManageSubscriptions: true,
    ...overrides,
  });
  /** Runs a command and settles its answer, whether it came at once or later. */
  const answer = async (text: string, context = ctx()) => {
    const result = await service.run(context, text);
    return result.kind === 'now' ? result.reply : await result.reply;
  };
  return { clock, stores, board, catalog, service, ctx, answer };
}
