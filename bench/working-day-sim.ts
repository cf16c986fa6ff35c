/**
 * One simulated working day of the three sources a channel follows for government ESG news —
 * the 정책브리핑 API (every ministry), one ministry's korea.kr feed and the KPC ESG board —
 * each read by its real reader and the real `pollSource` (Redis stores under a prefix of its
 * own), on a virtual clock stepped through every scheduler tick as BullMQ's `every` scheduler
 * runs a source's poll job: at each multiple of the tick. The fakes publish each release when
 * the day's schedule says; nothing waits in real time.
 */
import { pino } from 'pino';
import { RedisItemNumbers } from '../adapters/redis/redis-item-numbers.js';
import { RedisKeys } from '../adapters/redis/redis-keys.js';
import { RedisPostArchive } from '../adapters/redis/redis-post-archive.js';
import { RedisSourceStateStore } from '../adapters/redis/redis-source-state.js';
import { ParseSandbox } from '../adapters/sources/parse-sandbox.js';
import { PressReleaseApiSource } from '../adapters/sources/press-release-api/press-release-source.js';
import { UrlSource, type SourceReadOptions } from '../adapters/sources/url-source.js';
import { schedulerTick, type PollRhythm } from '../src/model/poll-rhythm.js';
import { koreaDate } from '../src/model/post.js';
import { releaseIdOf } from '../src/model/release-id.js';
import { pollSource } from '../src/pipeline/poll/poll-source.js';
import type { PollDeps } from '../src/pipeline/poll/poll-types.js';
import type { NewsSource } from '../src/ports/news-source.js';
import { USER_AGENT } from '../src/util/about.js';
import { FakeBoard } from '../test/support/fake-board.js';
import { FakePressReleaseApi, koreaDay } from '../test/support/fake-press-release-api.js';
import { FeedServer } from '../test/support/feed-server.js';
import { ManualClock } from '../test/support/manual-clock.js';
import { connectTestRedis } from '../test/support/redis.js';
import type { DayRelease } from './release-day.js';

export const SIM_SOURCES = ['api', 'feed', 'board'] as const;
export type SimSource = (typeof SIM_SOURCES)[number];

/** A release of the day with the korea.kr `newsId` every source names it by. */
export interface SimRelease extends DayRelease {
  newsId: string;
}

export interface DayInput {
  /** 00:00 of the simulated Korean day (epoch ms). */
  dayStart: number;
  /** Yesterday's releases and today's, oldest approval first, with their newsIds. */
  releases: SimRelease[];
  /** Each source's rhythm. */
  rhythms: Record<SimSource, PollRhythm>;
  /** The quiet interval before the day, for the reads that start each source off. */
  pollIntervalMs: number;
  /** Feed items first seen but older than this are archived without an alert. */
  maxAgeMs: number;
  /** How long after midnight the polls go on, so that a late release is not cut off. */
  overrunMs: number;
}

export interface DayRecord {
  /** Requests each source received from 00:00 to 24:00 (the API's: the calls counted that day). */
  requests: Record<SimSource, number>;
  /** API calls refused that day (the daily quota, or another refusal). */
  refusedApiCalls: number;
  /** Polls in the day that asked the source (neither not due nor deferred), per source. */
  reads: Record<SimSource, number>;
  /** Polls that failed (the read threw), per source. */
  failedPolls: Record<SimSource, number>;
  /** When (virtual epoch ms) the API first refused a call that day, or null. */
  firstRefusalAt: number | null;
  /** When the API was next asked after that refusal, or null. */
  askedAgainAt: number | null;
  /** When each source first announced each release: `newsId` → virtual epoch ms. */
  announced: Record<SimSource, Map<string, number>>;
  /** Announcements of a release no source of the day's schedule names (should be none). */
  strays: number;
}

/** The service key the fake API issues: the fake's, not any real one. */
const SIM_KEY = 'working-day-bench-key';
/** The fake board links each post's 원문 as korea.kr `newsId` 156,600,000 + its post id. */
export const BOARD_NEWS_ID_BASE = 156_600_000;

/** The post id the fake board gives its next post: the saved posts' newest, plus one. */
export function nextBoardPostId(): number {
  return Math.max(...new FakeBoard().entries.map((e) => e.postId)) + 1;
}

/** Runs the day; every fake, store and connection it opens is closed before it resolves. */
export async function simulateDay(input: DayInput): Promise<DayRecord> {
  const clock = new ManualClock(input.dayStart);
  const board = await new FakeBoard().start();
  const api = await new FakePressReleaseApi(() => clock.ms).start();
  api.issueKey(SIM_KEY);
  const feed = await new FeedServer('/rss/dept_mcee.xml').start();
  feed.title = '기후에너지환경부 보도자료';
  const redis = await connectTestRedis();
  const parser = new ParseSandbox();
  try {
    const read: SourceReadOptions = {
      parser,
      timeoutMs: 10_000,
      maxBytes: 5 * 1024 * 1024,
      retries: 0,
      retryDelayMs: 0,
      userAgent: USER_AGENT,
    };
    const sources: Record<SimSource, NewsSource> = {
      api: new PressReleaseApiSource('briefing', api.url, {
        ...read,
        serviceKey: SIM_KEY,
        now: () => clock.ms,
      }),
      feed: new UrlSource(feed.url, read, 'korea-mcee'),
      board: new UrlSource(board.url, read, 'esg'),
    };
    const keys = new RedisKeys(redis.prefix);
    const archive = new RedisPostArchive(redis.redis, keys);
    const record: DayRecord = {
      requests: { api: 0, feed: 0, board: 0 },
      refusedApiCalls: 0,
      reads: { api: 0, feed: 0, board: 0 },
      failedPolls: { api: 0, feed: 0, board: 0 },
      firstRefusalAt: null,
      askedAgainAt: null,
      announced: { api: new Map(), feed: new Map(), board: new Map() },
      strays: 0,
    };
    const known = new Set(input.releases.map((r) => r.newsId));
    const depsOf = (name: SimSource): PollDeps => ({
      source: sources[name],
      archive,
      states: new RedisSourceStateStore(redis.redis, keys),
      itemNumbers: new RedisItemNumbers(redis.redis, keys),
      // As the fan-out does: an announced post is archived with when it was handed on.
      announce: async (posts) => {
        for (const post of posts) {
          const id = releaseIdOf(post);
          if (id === null || !known.has(id)) record.strays++;
          else if (!record.announced[name].has(id)) record.announced[name].set(id, clock.ms);
        }
        await archive.save(
          posts.map((post) => ({ ...post, announcedAt: clock.ms })),
          clock.now(),
        );
      },
      logger: pino({ level: 'silent' }),
      now: clock.now,
      rhythm: input.rhythms[name],
      pollIntervalMs: input.pollIntervalMs,
      maxAgeMs: input.maxAgeMs,
    });
    const deps = Object.fromEntries(SIM_SOURCES.map((name) => [name, depsOf(name)])) as Record<
      SimSource,
      PollDeps
    >;
    const events = publications(input.releases, { api, feed, board });
    const publishUpTo = (at: number) => {
      while (events[0] && events[0].at <= at) events.shift()!.publish();
    };
    let counting = false;
    const poll = async (name: SimSource) => {
      try {
        const { status } = await pollSource(deps[name]);
        if (counting && status !== 'not-due' && status !== 'deferred') record.reads[name]++;
      } catch {
        if (!counting) return;
        record.reads[name]++;
        record.failedPolls[name]++;
      }
    };

    // Each source was read before the day: its first read only archives what is there.
    const startedAt = input.dayStart - input.pollIntervalMs;
    clock.set(startedAt);
    publishUpTo(startedAt);
    for (const name of SIM_SOURCES) await poll(name);

    const dayEnd = input.dayStart + 86_400_000;
    // BullMQ runs a job at every multiple of its `every`: the day's first runs are at 00:00.
    const ticks = SIM_SOURCES.map((name) => {
      const every = schedulerTick(input.rhythms[name]);
      return { name, every, next: Math.ceil(input.dayStart / every) * every };
    });
    const requestsSoFar = () => ({ feed: feed.requests.length, board: board.requests.length });
    const atStart = requestsSoFar();
    let atEnd: ReturnType<typeof requestsSoFar> | null = null;
    for (;;) {
      const at = Math.min(...ticks.map((t) => t.next));
      counting = at < dayEnd;
      if (at >= dayEnd) atEnd ??= requestsSoFar();
      if (at >= dayEnd + input.overrunMs) break;
      clock.set(at);
      publishUpTo(at);
      for (const tick of ticks) {
        if (tick.next !== at) continue;
        await poll(tick.name);
        tick.next += tick.every;
      }
    }
    const day = koreaDay(input.dayStart);
    record.requests = {
      api: api.callsOn(day),
      feed: atEnd!.feed - atStart.feed,
      board: atEnd!.board - atStart.board,
    };
    const refused = api.requests.filter((r) => r.day === day && r.answered !== '00');
    record.refusedApiCalls = refused.length;
    record.firstRefusalAt = refused[0]?.at ?? null;
    const again = api.requests.find((r) => r.at > (record.firstRefusalAt ?? Infinity));
    record.askedAgainAt = again?.at ?? null;
    return record;
  } finally {
    await parser.close();
    await redis.cleanup();
    await api.close();
    await feed.close();
    await board.close();
  }
}

interface Publication {
  at: number;
  publish: () => void;
}

/**
 * Each release's appearances, in time order: on the API at its approval (the reader holds it
 * back until its 보도시점), on the followed ministry's feed when it is published, on the board
 * when reposted (its post must get the post id its newsId was given for).
 */
function publications(
  releases: readonly SimRelease[],
  to: { api: FakePressReleaseApi; feed: FeedServer; board: FakeBoard },
): Publication[] {
  const events: Publication[] = [];
  for (const release of releases) {
    events.push({
      at: release.approvedAt,
      publish: () =>
        to.api.publish(release.title, {
          newsId: release.newsId,
          ministry: release.ministry,
          approvedAt: release.approvedAt,
          embargoAt: release.embargoAt,
        }),
    });
    if (release.onFeed) {
      events.push({
        at: release.publishedAt,
        publish: () =>
          to.feed.items.unshift({
            title: `[${release.ministry}] ${release.title}`,
            link: `https://www.korea.kr/briefing/pressReleaseView.do?newsId=${release.newsId}`,
            date: new Date(release.publishedAt),
          }),
      });
    }
    const boardAt = release.boardAt;
    if (boardAt !== null) {
      events.push({
        at: boardAt,
        publish: () => {
          const date = koreaDate(new Date(boardAt));
          const entry = to.board.publish(release.title, release.ministry, date);
          if (String(BOARD_NEWS_ID_BASE + entry.postId) !== release.newsId) {
            throw new Error(`board post ${entry.postId} does not link release ${release.newsId}`);
          }
        },
      });
    }
  }
  return events.sort((a, b) => a.at - b.at);
}
