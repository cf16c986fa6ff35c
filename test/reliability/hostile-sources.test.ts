import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RedisItemNumbers } from '../../adapters/redis/redis-item-numbers.js';
import { RedisKeys } from '../../adapters/redis/redis-keys.js';
import { RedisPostArchive } from '../../adapters/redis/redis-post-archive.js';
import { RedisSourceStateStore } from '../../adapters/redis/redis-source-state.js';
import type { DocumentParser } from '../../adapters/sources/parse-jobs.js';
import { ParseSandbox } from '../../adapters/sources/parse-sandbox.js';
import { UrlSource, type SourceReadOptions } from '../../adapters/sources/url-source.js';
import { SourceError } from '../../src/model/source-error.js';
import { pollSource } from '../../src/pipeline/poll/poll-source.js';
import type { PageRead } from '../../src/ports/news-source.js';
import {
  benignBody,
  HOSTILE_SOURCES,
  hostileHandler,
  hostileSource,
  hostileUrl,
  postPage,
  type HostileSource,
} from '../support/hostile-sources.js';
import { startHttpServer, type LocalServer } from '../support/http-server.js';
import { connectTestRedis } from '../support/redis.js';
import { sourcesBot } from '../support/sources-bot.js';
import { waitFor } from '../support/wait.js';

/**
 * Every input of the hostile corpus, read through the real source reader and a real poll on
 * Redis: each is read (and what was read is bounded) or refused as TOO_COSTLY with nothing
 * kept. Outcomes, never times: inputs whose parse is linear get a patient parser, so a slow
 * machine cannot turn them into refusals; those whose parse is super-linear (far past any
 * deadline) get a strict one, so the test does not wait for them.
 */

interface Expected {
  outcome: 'read' | 'refused';
  /** Items or rows read, with a reader that considers at most `max`. */
  count?: (max: number) => number;
  /** Titles among what was read, and titles that must not be, with that cap. */
  titles?: (max: number) => { present: string[]; absent?: string[] };
  /** Rows or items left out, as the reader says. */
  skipped?: RegExp[];
  /** A board whose list reads but whose post pages are refused when the poll completes them. */
  postPagesRefused?: boolean;
  /**
   * Posts archived after a poll of the hostile source that follows a good read (a feed of
   * one item, a board of rows 1 to 3), with a chat-added source's cap of 100.
   */
  archivedAfterPoll?: number;
}

const EXPECTED: Record<string, Expected> = {
  'feed-p-description': {
    outcome: 'read',
    count: () => 1,
    titles: () => one('적대적 항목 1'),
    archivedAfterPoll: 2,
  },
  'feed-unclosed-tags': {
    outcome: 'read',
    count: (max) => Math.min(1_000, max),
    titles: (max) => ({
      present: ['적대적 항목 1000', `적대적 항목 ${1_001 - max}`],
      absent: [`적대적 항목 ${1_000 - max}`],
    }),
    archivedAfterPoll: 101,
  },
  'feed-script-openings': {
    outcome: 'read',
    count: () => 1,
    titles: () => one('적대적 항목 1'),
    archivedAfterPoll: 2,
  },
  'feed-50k-items': {
    outcome: 'read',
    count: (max) => Math.min(50_000, max),
    titles: (max) => ({ present: ['t50000', `t${50_001 - max}`], absent: [`t${50_000 - max}`] }),
    archivedAfterPoll: 101,
  },
  'feed-huge-attribute': {
    outcome: 'read',
    count: () => 1,
    titles: () => one('적대적 항목 1'),
    archivedAfterPoll: 2,
  },
  'feed-deep-nesting': {
    outcome: 'read',
    count: () => 1,
    titles: () => one('적대적 항목 1'),
    archivedAfterPoll: 2,
  },
  'atom-xhtml-deep': { outcome: 'refused' },
  'board-unclosed-tags': {
    outcome: 'read',
    count: () => 20,
    titles: () => ({ present: ['적대적 글 20', '적대적 글 1'] }),
    archivedAfterPoll: 20,
  },
  'board-deep-nesting': { outcome: 'refused' },
  'board-huge-attribute': {
    outcome: 'read',
    count: () => 19,
    titles: () => ({ present: ['적대적 글 19', '적대적 글 1'], absent: ['적대적 글 20'] }),
    skipped: [/^row 20: link "post\/20\?a{40,}…" is longer than 4096 characters$/],
    archivedAfterPoll: 19,
  },
  'board-many-attributes': { outcome: 'refused' },
  'board-50k-rows': {
    outcome: 'read',
    count: (max) => Math.min(50_000, max),
    titles: (max) => ({
      present: ['적대적 글 50000', `적대적 글 ${50_001 - max}`],
      absent: [`적대적 글 ${50_000 - max}`],
    }),
    archivedAfterPoll: 103,
  },
  'board-deep-post': {
    outcome: 'read',
    count: () => 5,
    titles: () => ({ present: ['적대적 글 5'] }),
    postPagesRefused: true,
  },
};

function one(title: string) {
  return { present: [title] };
}

/** For the linear parses: no machine is this slow. */
const patient = new ParseSandbox({ deadlineMs: 120_000 });
/** For the super-linear ones: refused long before they would end. */
const strict = new ParseSandbox({ deadlineMs: 1_000 });
afterAll(() => Promise.all([patient.close(), strict.close()]));

/** Items a configured source considers per read, and a chat-added one. */
const CONFIGURED_MAX = 500;
const CHAT_MAX = 100;

function options(expected: Expected, maxItems: number): SourceReadOptions {
  return {
    timeoutMs: 30_000,
    maxBytes: 5 * 1024 * 1024,
    retries: 0,
    retryDelayMs: 0,
    userAgent: 'esg-news-bot/test',
    parser: expected.outcome === 'refused' || expected.postPagesRefused ? strict : patient,
    maxItems,
  };
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

/** Serves the source well-behaved until `turnHostile`, then as the corpus has it. */
async function switchable(source: HostileSource) {
  let hostile = false;
  const serveHostile = hostileHandler([source]);
  const server: LocalServer = await startHttpServer((req: IncomingMessage, res: ServerResponse) => {
    if (hostile) return serveHostile(req, res);
    if (/\/post\/\d+/.test(req.url ?? '')) {
      return res.writeHead(200, { 'content-type': 'text/html' }).end(postPage());
    }
    const type = source.kind === 'feed' ? 'application/xml' : 'text/html';
    return res.writeHead(200, { 'content-type': type }).end(benignBody(source.kind));
  });
  cleanup.push(() => server.close());
  return {
    url: hostileUrl(server.url, source),
    turnHostile: () => (hostile = true),
  };
}

function titlesOf(page: PageRead): string[] {
  if (page.status !== 'ok') throw new Error('not modified');
  return page.kind === 'feed'
    ? page.items.map((i) => i.post.title)
    : page.posts.map((p) => p.title);
}

async function failure(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => null,
    (error: unknown) => error,
  );
}

function expectTooCostly(error: unknown): void {
  expect(error).toBeInstanceOf(SourceError);
  expect((error as SourceError).code).toBe('TOO_COSTLY');
  expect((error as SourceError).retryable).toBe(false);
  expect((error as SourceError).message).toMatch(
    /^http:\/\/127\.0\.0\.1:\d+\/\S+ (took more than 1 s to parse|nests too deeply to parse) \(hostile or broken markup\); not read$/,
  );
}

describe.each(HOSTILE_SOURCES.map((source) => [source.name, source] as const))(
  'the hostile source %s',
  (name, source) => {
    const expected = EXPECTED[name]!;

    it(`is ${expected.outcome === 'read' ? 'read, bounded,' : 'refused as TOO_COSTLY'} by the source reader`, async () => {
      const { url, turnHostile } = await switchable(source);
      turnHostile();
      const reader = new UrlSource(url, options(expected, CONFIGURED_MAX), 'hostile');
      if (expected.outcome === 'refused') {
        expectTooCostly(await failure(reader.readPage(1)));
        return;
      }
      const page = await reader.readPage(1);
      const titles = titlesOf(page);
      expect(titles).toHaveLength(expected.count!(CONFIGURED_MAX));
      const { present, absent = [] } = expected.titles!(CONFIGURED_MAX);
      expect(titles).toEqual(expect.arrayContaining(present));
      for (const title of absent) expect(titles).not.toContain(title);
      const skipped = page.status === 'ok' ? page.skipped : [];
      expect(skipped).toHaveLength(expected.skipped?.length ?? 0);
      expected.skipped?.forEach((pattern, i) => expect(skipped[i]).toMatch(pattern));
    }, 120_000);

    it(`${expected.outcome === 'read' && !expected.postPagesRefused ? 'is archived, bounded,' : 'leaves the archive, the seen items and the cursor as they were'} in a poll after a good read`, async () => {
      const { url, turnHostile } = await switchable(source);
      const t = await connectTestRedis();
      cleanup.push(() => t.cleanup());
      const keys = new RedisKeys(t.prefix);
      const deps = {
        source: new UrlSource(url, options(expected, CHAT_MAX), 'hostile'),
        archive: new RedisPostArchive(t.redis, keys),
        states: new RedisSourceStateStore(t.redis, keys),
        itemNumbers: new RedisItemNumbers(t.redis, keys),
        announce: () => Promise.resolve(),
        logger: pino({ level: 'silent' }),
      };
      const first = await pollSource(deps);
      expect(first).toMatchObject({
        status: 'initialized',
        archived: source.kind === 'feed' ? 1 : 3,
      });
      const before = await snapshot(t.redis, keys);
      const cursor = (await deps.states.get('hostile')).cursor;

      turnHostile();
      if (expected.outcome === 'refused' || expected.postPagesRefused) {
        expectTooCostly(await failure(pollSource(deps)));
        expect(await snapshot(t.redis, keys)).toEqual(before);
        const state = await deps.states.get('hostile');
        expect(state.cursor).toBe(cursor);
        expect(state.lastError).toMatch(/^TOO_COSTLY: /);
        return;
      }
      expect(await pollSource(deps)).toMatchObject({ status: 'read' });
      const archived = (await deps.archive.newest('hostile', 100_000)).map((p) => p.title);
      expect(archived).toHaveLength(expected.archivedAfterPoll!);
      const { present, absent = [] } = expected.titles!(CHAT_MAX);
      expect(archived).toEqual(expect.arrayContaining(present));
      for (const title of absent) expect(archived).not.toContain(title);
      expect((await deps.states.get('hostile')).lastError).toBeNull();
    }, 120_000);
  },
);

/** Everything the poll keeps of a source but its state: archive, numbers, seen items. */
async function snapshot(redis: Redis, keys: RedisKeys) {
  const id = 'hostile';
  return {
    posts: await redis.hgetall(keys.posts(id)),
    numbers: await redis.zrange(keys.postNumbers(id), 0, -1, 'WITHSCORES'),
    text: await redis.hgetall(keys.postText(id)),
    itemNumbers: await redis.hgetall(keys.itemNumbers(id)),
    seen: await redis.zrange(keys.itemsSeen(id), 0, -1, 'WITHSCORES'),
    sequence: await redis.get(keys.itemSequence(id)),
  };
}

describe('while a hostile page is parsed', () => {
  it('the event loop answers: an HTTP request to another server completes', async () => {
    const { url, turnHostile } = await switchable(hostileSource('board-many-attributes'));
    turnHostile();
    const sandbox = new ParseSandbox({ deadlineMs: 120_000 });
    cleanup.push(() => sandbox.close());
    let parsing: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (parsing = resolve));
    // The real sandbox, told when the reader hands it the page.
    const parser: DocumentParser = {
      parseFeed: (job) => sandbox.parseFeed(job),
      parseBoardPost: (job) => sandbox.parseBoardPost(job),
      parsePressReleases: (job) => sandbox.parsePressReleases(job),
      parseBoardList: (job) => {
        parsing();
        return sandbox.parseBoardList(job);
      },
    };
    const reader = new UrlSource(url, { ...options({ outcome: 'read' }, 500), parser }, 'h');
    let settled = false;
    const read = reader.readPage(1).then(
      () => 'read',
      (error: Error) => error.message,
    );
    void read.finally(() => (settled = true));
    await started;
    const other = await startHttpServer((_req, res) => res.end('pong'));
    cleanup.push(() => other.close());
    expect(await (await fetch(other.url)).text()).toBe('pong');
    expect(settled).toBe(false);
    await sandbox.close();
    expect(await read).toBe('the parse sandbox is closed');
  });

  it('a chat-added feed being read leaves the bot answering commands and health checks, then is refused in Korean', async () => {
    const { url, turnHostile } = await switchable(hostileSource('board-many-attributes'));
    turnHostile();
    const t = await sourcesBot(cleanup, () => ({ ALLOW_PRIVATE_SOURCES: 'true' }));
    expect((await t.command('C-ADD', `구독 ${url}`)).text).toContain('읽어 보고 있습니다');
    // The default deadline (5 s) has the probe's parse run on while these are answered.
    expect((await t.command('C-OTHER', '소스')).text).toContain('소스 1개');
    expect((await fetch(`${t.bot.httpUrl}/healthz`)).status).toBe(200);
    expect(t.slack.responses.find((r) => r.id === 'C-ADD')).toBeUndefined();
    const answer = await waitFor(
      'the refusal',
      () => t.slack.responses.find((r) => r.id === 'C-ADD')?.body as { text: string } | undefined,
      60_000,
    );
    expect(answer.text).toContain('해석하는 데 너무 오래 걸리거나');
    expect((await t.command('C-ADD', '소스')).text).toContain('소스 1개');
  }, 90_000);
});
