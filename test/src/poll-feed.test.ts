import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisItemNumbers } from '../../adapters/redis/redis-item-numbers.js';
import { RedisKeys } from '../../adapters/redis/redis-keys.js';
import { RedisPostArchive } from '../../adapters/redis/redis-post-archive.js';
import { RedisSourceStateStore } from '../../adapters/redis/redis-source-state.js';
import { ParseSandbox } from '../../adapters/sources/parse-sandbox.js';
import { UrlSource, type SourceReadOptions } from '../../adapters/sources/url-source.js';
import type { PostArchive } from '../../src/ports/post-archive.js';
import type { SourceStateStore } from '../../src/ports/source-state-store.js';
import type { ItemNumbers } from '../../src/ports/item-numbers.js';
import { pollSource } from '../../src/pipeline/poll/poll-source.js';
import { type PollDeps } from '../../src/pipeline/poll/poll-types.js';
import type { Post } from '../../src/model/post.js';
import { FeedServer, type TestFeedItem } from '../support/feed-server.js';
import { fixtureText } from '../support/fixtures.js';
import { startHttpServer } from '../support/http-server.js';
import { MemoryItemNumbers } from '../doubles/memory-item-numbers.js';
import { MemoryPostArchive } from '../doubles/memory-post-archive.js';
import { MemorySourceStateStore } from '../doubles/memory-source-state-store.js';
import { connectTestRedis, type TestRedis } from '../support/redis.js';

/** `pollSource` over real HTTP against local feeds, with the feed strategy's ports in memory and in Redis. */

const NOW = Date.parse('2026-11-20T03:00:00Z');
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000);
const SOURCE = 'news';
/** One parse worker for the file's sources, as a deployment has one per origin. */
const parser = new ParseSandbox();
afterAll(() => parser.close());

const fetchOptions: SourceReadOptions = {
  parser,
  timeoutMs: 2_000,
  maxBytes: 5 * 1024 * 1024,
  retries: 0,
  retryDelayMs: 0,
  userAgent: 'esg-news-bot/test',
};

interface Ports {
  archive: PostArchive;
  states: SourceStateStore;
  itemNumbers: ItemNumbers;
  close(): Promise<void>;
}

const portSets: Array<[string, () => Promise<Ports>]> = [
  [
    'in memory',
    () =>
      Promise.resolve({
        archive: new MemoryPostArchive(),
        states: new MemorySourceStateStore(),
        itemNumbers: new MemoryItemNumbers(),
        close: () => Promise.resolve(),
      }),
  ],
  [
    'in Redis',
    async () => {
      const t: TestRedis = await connectTestRedis();
      const keys = new RedisKeys(t.prefix);
      return {
        archive: new RedisPostArchive(t.redis, keys),
        states: new RedisSourceStateStore(t.redis, keys),
        itemNumbers: new RedisItemNumbers(t.redis, keys),
        close: () => t.cleanup(),
      };
    },
  ],
];

describe.each(portSets)('a feed, its ports %s', (_name, makePorts) => {
  let feed: FeedServer;
  let ports: Ports;
  let announced: Post[][];
  let deps: PollDeps;

  beforeEach(async () => {
    feed = await new FeedServer().start();
    ports = await makePorts();
    announced = [];
    deps = {
      source: new UrlSource(feed.url, fetchOptions, SOURCE),
      archive: ports.archive,
      states: ports.states,
      itemNumbers: ports.itemNumbers,
      announce: (posts) => {
        announced.push(posts);
        return Promise.resolve();
      },
      logger: pino({ level: 'silent' }),
      now: () => new Date(NOW),
    };
  });

  afterEach(async () => {
    await ports.close();
    await feed.close();
  });

  const poll = () => pollSource(deps);
  const announcedTitles = () => announced.flat().map((p) => p.title);
  const archived = async (n: number) => ports.archive.get(SOURCE, n);
  const item = (title: string, hours: number, fields: Partial<TestFeedItem> = {}) => ({
    title,
    guid: `tag:example.org,2026:${title}`,
    link: `https://example.org/news/2026/11/${title}`,
    date: hoursAgo(hours),
    ...fields,
  });

  it('archives the first read silently', async () => {
    feed.items = [item('c', 1), item('b', 2), item('a', 3)];
    expect(await poll()).toMatchObject({ status: 'initialized', archived: 3 });
    expect(announced).toEqual([]);
  });

  it('announces the first items of a feed that was empty when first read', async () => {
    feed.items = [];
    expect(await poll()).toMatchObject({ status: 'initialized', archived: 0 });
    feed.items = [item('b', 1), item('a', 2)];
    expect(await poll()).toMatchObject({ status: 'read', announced: [1, 2] });
    expect(announcedTitles()).toEqual(['a', 'b']);
    feed.title = '바뀐 제목'; // a new body with the same items: nothing new
    expect(await poll()).toMatchObject({ status: 'read', announced: [] });
  });

  it('announces every new Atom entry once when ids are tag: UUIDs and permalinks /news/2026/11/<slug>', async () => {
    feed.format = 'atom';
    const entry = (slug: string, uuid: string, hours: number) =>
      item(slug, hours, { guid: `tag:example.org,2026:${uuid}` });
    feed.items = [
      entry('ccc', '9b2e1f4c-6a55-4e02-9d3c-0b5f7e6a1c33', 3),
      entry('bbb', '3d7c3a58-1b2e-4f64-8f0d-6d2a4c1e9b21', 4),
      entry('aaa', '550e8400-e29b-41d4-a716-446655440000', 5),
    ];
    await poll();
    feed.items.unshift(
      entry('eee', '0f8fad5b-d9cb-469f-a165-70867728950e', 1),
      entry('ddd', '7c9e6679-7425-40de-944b-e07fc1f90ae7', 2),
    );
    expect(await poll()).toMatchObject({ status: 'read', announced: [4, 5] });
    expect(announcedTitles()).toEqual(['ddd', 'eee']);
    // Numbered oldest first, each its own: none collide on the month (11).
    const titles = await Promise.all([1, 2, 3, 4, 5].map(async (n) => (await archived(n))?.title));
    expect(titles).toEqual(['aaa', 'bbb', 'ccc', 'ddd', 'eee']);
    expect(await archived(11)).toBeNull();

    feed.title = '다시 읽히도록 바뀐 제목'; // a new body, the same entries
    expect(await poll()).toMatchObject({ status: 'read', announced: [] });
    expect(announcedTitles()).toEqual(['ddd', 'eee']);
  });

  it('announces once a back-dated entry inserted below newer ones', async () => {
    feed.items = [item('newest', 1), item('newer', 2), item('old', 30)];
    await poll();
    feed.items.splice(2, 0, item('late-release', 20));
    expect(await poll()).toMatchObject({ status: 'read', announced: [4] });
    feed.items.unshift(item('next', 0.5));
    await poll();
    expect(announcedTitles()).toEqual(['late-release', 'next']);
  });

  it('never announces again an old item the feed drops and re-adds, or items it reorders', async () => {
    feed.items = [item('c', 1), item('b', 2), item('a', 3)];
    await poll();
    const [c, b, a] = feed.items as [TestFeedItem, TestFeedItem, TestFeedItem];
    feed.items = [c, a];
    expect(await poll()).toMatchObject({ status: 'read', announced: [] });
    feed.items = [c, b, a];
    expect(await poll()).toMatchObject({ status: 'read', announced: [] });
    feed.items = [a, c, b];
    expect(await poll()).toMatchObject({ status: 'read', announced: [] });
    expect(announced).toEqual([]);
    // And each kept its number.
    expect((await archived(2))?.title).toBe('b');
  });

  it('counts two items with the same guid in one feed once', async () => {
    feed.items = [item('a', 3)];
    await poll();
    feed.items.unshift(
      item('첫 판', 1, { guid: 'same-guid', link: 'https://example.org/p/first' }),
      item('고친 판', 1, { guid: 'same-guid', link: 'https://example.org/p/second' }),
    );
    expect(await poll()).toMatchObject({ status: 'read', announced: [2] });
    expect(announcedTitles()).toEqual(['첫 판']);
    expect(await archived(3)).toBeNull();
  });

  it('identifies items with no guid and no link by title and date, and announces each once', async () => {
    const bare = (title: string, hours: number): TestFeedItem => ({ title, date: hoursAgo(hours) });
    feed.items = [bare('공지 A', 2), bare('공지 A', 3)];
    expect(await poll()).toMatchObject({ archived: 2 });
    feed.items.unshift(bare('공지 B', 1));
    expect(await poll()).toMatchObject({ announced: [3] });
    feed.items.unshift(bare('공지 C', 0.5));
    expect(await poll()).toMatchObject({ announced: [4] });
    expect(announcedTitles()).toEqual(['공지 B', '공지 C']);
    expect((await archived(3))?.url).toBe('https://example.org/news');
  });

  it('archives without an alert an item first seen now but published over SOURCE_MAX_AGE ago', async () => {
    deps.maxAgeMs = 3 * 86_400_000;
    feed.items = [item('a', 1)];
    await poll();
    feed.items.push(item('four-days-old', 4 * 24), item('two-days-old', 2 * 24));
    expect(await poll()).toMatchObject({ status: 'read', archivedOnly: 1 });
    expect(announcedTitles()).toEqual(['two-days-old']);
    expect((await ports.archive.newest(SOURCE, 10)).map((p) => p.title)).toContain('four-days-old');
  });

  it('keeps korea.kr newsIds as item numbers, so /news 156581997 finds its item', async () => {
    feed.items = [
      item('외교차관 통화', 30, {
        guid: undefined,
        link: 'https://www.korea.kr/briefing/pressReleaseView.do?newsId=156581997&call_from=rsslink',
      }),
    ];
    await poll();
    expect((await archived(156581997))?.title).toBe('외교차관 통화');
    feed.items.unshift(
      item('새 보도자료', 1, {
        guid: undefined,
        link: 'https://www.korea.kr/briefing/pressReleaseView.do?newsId=156700003&call_from=rsslink',
      }),
    );
    expect(await poll()).toMatchObject({ announced: [156700003] });
    expect(await archived(156700003)).toMatchObject({
      title: '새 보도자료',
      itemKey:
        'link:https://www.korea.kr/briefing/pressReleaseView.do?newsId=156700003&call_from=rsslink',
    });
  });

  it('gives an item whose own number another item holds a sequence number, and keeps both', async () => {
    feed.items = [item('원래 7번', 2, { link: 'https://example.org/view?no=7' })];
    await poll();
    feed.items.unshift(item('또 7번', 1, { link: 'https://example.org/view?no=7&lang=en' }));
    expect(await poll()).toMatchObject({ announced: [1] });
    expect((await archived(7))?.title).toBe('원래 7번');
    expect((await archived(1))?.title).toBe('또 7번');
  });

  it('announces new items oldest first by date, then in feed order', async () => {
    feed.items = [item('a', 10), item('b', 11)];
    await poll();
    feed.items = [item('x', 3), item('y', 1), item('z', 2), item('w', 3), ...feed.items];
    await poll();
    // x and w share a date in a feed that lists newest first: the lower one is older.
    expect(announcedTitles()).toEqual(['w', 'x', 'z', 'y']);
  });

  it('announces the newest of too many new items and archives the rest', async () => {
    deps.maxAlertsPerPoll = 2;
    feed.items = [item('a', 10)];
    await poll();
    feed.items.unshift(item('e', 1), item('d', 2), item('c', 3), item('b', 4));
    expect(await poll()).toMatchObject({ announced: [4, 5], archivedOnly: 2 });
    expect(announcedTitles()).toEqual(['d', 'e']);
    expect((await ports.archive.newest(SOURCE, 10)).map((p) => p.title).sort()).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
  });
});

describe('a feed from before this release', () => {
  it('announces on the first read after the upgrade only what is above the old cursor, asking unconditionally', async () => {
    const body = fixtureText('korea-kr/pressrelease.xml');
    const requests: Array<string | undefined> = [];
    const site = await startHttpServer((req, res) => {
      requests.push(req.headers['if-none-match']);
      if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(body);
    });
    const states = new MemorySourceStateStore();
    // What 0.1 left: a cursor below the feed's two newest releases, validators, no seen items.
    await states.advanceCursor(SOURCE, 156605091);
    await states.recordSuccess(SOURCE, new Date(NOW - 60_000), { etag: '"v1"' });
    const announced: Post[] = [];
    const archive = new MemoryPostArchive();
    try {
      const deps: PollDeps = {
        source: new UrlSource(`${site.url}/rss`, fetchOptions, SOURCE),
        archive,
        states,
        itemNumbers: new MemoryItemNumbers(),
        announce: (posts) => {
          announced.push(...posts);
          return Promise.resolve();
        },
        logger: pino({ level: 'silent' }),
        now: () => new Date(NOW),
        // The saved releases are from 2023.
        maxAgeMs: 10 * 365 * 86_400_000,
      };
      expect(await pollSource(deps)).toMatchObject({
        status: 'read',
        announced: [156605104, 156605117],
        cursor: 156605117,
      });
      expect(requests).toEqual([undefined]);
      expect(archive.all(SOURCE)).toHaveLength(10);
      expect((await archive.get(SOURCE, 156605000))?.ministry).toBe('국토교통부');
      expect(await pollSource(deps)).toEqual({ status: 'not-modified' });
      expect(announced).toHaveLength(2);
    } finally {
      await site.close();
    }
  });
});
