import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParseSandbox } from '../../adapters/sources/parse-sandbox.js';
import { UrlSource, type SourceReadOptions } from '../../adapters/sources/url-source.js';
import type { SourceNotice } from '../../src/model/news-message.js';
import { MAX_SOURCE_BACKOFF_MS, pollSource } from '../../src/pipeline/poll/poll-source.js';
import type {
  PollDeps,
  PollOutcome,
  SourceReadDetails,
} from '../../src/pipeline/poll/poll-types.js';
import type { Post } from '../../src/model/post.js';
import { FakeBoard } from '../support/fake-board.js';
import { FeedServer } from '../support/feed-server.js';
import { MemoryItemNumbers } from '../doubles/memory-item-numbers.js';
import { MemoryPostArchive } from '../doubles/memory-post-archive.js';
import { MemorySourceStateStore } from '../doubles/memory-source-state-store.js';

/** A source's health over simulated days: back-off, staleness, the names notices carry. */

const T0 = Date.parse('2026-11-01T00:00:00Z');
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 86_400_000;
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

let feed: FeedServer;
let clock: number;
let states: MemorySourceStateStore;
let archive: MemoryPostArchive;
let announced: Post[];
let notices: SourceNotice[];
let reads: SourceReadDetails[];
let deps: PollDeps;

beforeEach(async () => {
  feed = await new FeedServer().start();
  feed.title = '환경부 보도자료';
  feed.items = [{ title: '첫 글', guid: 'g-1', date: new Date(T0 - 3_600_000) }];
  clock = T0;
  states = new MemorySourceStateStore();
  archive = new MemoryPostArchive();
  announced = [];
  notices = [];
  reads = [];
  deps = {
    source: new UrlSource(feed.url, fetchOptions, 'me'),
    archive,
    states,
    itemNumbers: new MemoryItemNumbers(),
    announce: (posts) => {
      announced.push(...posts);
      return Promise.resolve();
    },
    announceNotice: (notice) => {
      notices.push(notice);
      return Promise.resolve();
    },
    onRead: (details) => {
      reads.push(details);
      return Promise.resolve();
    },
    logger: pino({ level: 'silent' }),
    now: () => new Date(clock),
    pollIntervalMs: MINUTE,
    outageNoticeAfterMs: 10 * MINUTE,
  };
});

afterEach(() => feed.close());

/** One poll: its outcome, or `failed` when it threw. */
async function poll(): Promise<PollOutcome | { status: 'failed' }> {
  try {
    return await pollSource(deps);
  } catch {
    return { status: 'failed' };
  }
}

/**
 * Polls every interval from `from` to `to` (ms after T0) and returns when (s after T0)
 * requests went out; the other polls must be deferred.
 */
async function pollEveryMinute(
  from: number,
  to: number,
  requests = () => feed.requests.length,
): Promise<number[]> {
  const sent: number[] = [];
  for (let at = from; at <= to; at += MINUTE) {
    clock = T0 + at;
    const before = requests();
    const outcome = await poll();
    if (requests() > before) sent.push(at / SECOND);
    else expect(outcome.status).toBe('deferred');
  }
  return sent;
}

describe('a failing source backs off', () => {
  it('reads a failing source one, two, four… intervals apart up to 30 minutes, and resets on success', async () => {
    await poll();
    feed.fault = { status: 500 };
    const sent = await pollEveryMinute(MINUTE, 2 * 3_600_000);
    const gaps = sent.slice(1).map((s, i) => s - sent[i]!);
    expect(gaps).toEqual([60, 60, 120, 240, 480, 960, 1800, 1800]);
    expect(Math.max(...gaps) * SECOND).toBe(MAX_SOURCE_BACKOFF_MS);

    // Back up: the next allowed read works, and the wait starts over at one interval.
    feed.fault = null;
    const next = (await states.get('me')).notBefore!.getTime() - T0;
    const recovered = Math.ceil(next / MINUTE) * MINUTE;
    clock = T0 + recovered;
    expect((await poll()).status).not.toBe('failed');
    expect((await states.get('me')).notBefore).toBeUndefined();
    feed.fault = { status: 500 };
    const again = await pollEveryMinute(recovered + MINUTE, recovered + 5 * MINUTE);
    expect(again.map((s) => s - recovered / SECOND)).toEqual([60, 120, 180, 300]);
  });

  it("keeps the source's Retry-After when it is longer than the back-off", async () => {
    await poll();
    clock = T0 + MINUTE;
    feed.fault = { status: 503, retryAfter: '600' };
    expect(await poll()).toEqual({ status: 'failed' });
    expect((await states.get('me')).notBefore).toEqual(new Date(clock + 600 * SECOND));
  });

  it('keeps the back-off when it is longer than the Retry-After', async () => {
    await poll();
    feed.fault = { status: 500 };
    expect(await pollEveryMinute(MINUTE, 16 * MINUTE)).toEqual([60, 120, 180, 300, 540]);
    // Failing since one minute in; the read at 17 minutes is the next one allowed.
    clock = T0 + 17 * MINUTE;
    feed.fault = { status: 503, retryAfter: '2' };
    expect(await poll()).toEqual({ status: 'failed' });
    expect((await states.get('me')).notBefore).toEqual(new Date(clock + 16 * MINUTE - MINUTE / 2));
  });
});

describe('a source with nothing new', () => {
  async function pollAt(day: number): Promise<void> {
    clock = T0 + day * DAY;
    expect((await poll()).status).not.toBe('failed');
  }

  it('tells its followers once per quiet spell, naming itself, and again only after a new item and a new quiet spell', async () => {
    deps.staleAfterMs = 14 * DAY;
    await pollAt(0);
    await pollAt(13);
    expect(notices).toEqual([]);

    await pollAt(14);
    expect(notices).toEqual([
      {
        kind: 'stale',
        sourceId: 'me',
        sourceLabel: '환경부 보도자료',
        sourceUrl: feed.url,
        since: new Date(T0).toISOString(),
        error: null,
      },
    ]);
    await pollAt(15);
    await pollAt(20);
    expect(notices).toHaveLength(1);

    feed.items.unshift({ title: '오랜만의 새 글', guid: 'g-2', date: new Date(T0 + 16 * DAY) });
    await pollAt(16);
    expect(announced.map((p) => p.title)).toEqual(['오랜만의 새 글']);
    await pollAt(29);
    expect(notices).toHaveLength(1);
    await pollAt(30);
    expect(notices.map((n) => [n.kind, n.since])).toEqual([
      ['stale', new Date(T0).toISOString()],
      ['stale', new Date(T0 + 16 * DAY).toISOString()],
    ]);
  });

  it('never tells anyone when SOURCE_STALE_AFTER is 0', async () => {
    deps.staleAfterMs = 0;
    await pollAt(0);
    await pollAt(400);
    expect(notices).toEqual([]);
  });

  it('spends one conditional request and nothing else on an unchanged feed', async () => {
    await pollAt(0);
    const [requests, saves, readsBefore] = [feed.requests.length, archive.saves, reads.length];
    clock += MINUTE;
    expect(await poll()).toEqual({ status: 'not-modified' });
    expect(feed.requests.length - requests).toBe(1);
    expect(archive.saves).toBe(saves);
    expect(reads.length).toBe(readsBefore);
  });
});

describe("a source's name", () => {
  it('is recorded from each read that returned a page, and a failure to record it fails nothing', async () => {
    await poll();
    expect(reads).toEqual([{ sourceId: 'me', title: '환경부 보도자료', kind: 'feed' }]);
    expect((await states.get('me')).title).toBe('환경부 보도자료');

    deps.onRead = () => Promise.reject(new Error('registry down'));
    feed.items.unshift({ title: '새 글', guid: 'g-2', date: new Date(T0) });
    clock += MINUTE;
    expect(await poll()).toMatchObject({ status: 'read', announced: [2] });
  });

  it("labels the outage and recovery notices with the source's title", async () => {
    await poll();
    feed.fault = { status: 500 };
    await pollEveryMinute(MINUTE, 20 * MINUTE);
    feed.fault = null;
    clock = T0 + 60 * MINUTE;
    await poll();
    expect(notices.map((n) => [n.kind, n.sourceLabel])).toEqual([
      ['down', '환경부 보도자료'],
      ['recovered', '환경부 보도자료'],
    ]);
  });

  it("is a board's page title without the site name", async () => {
    const board = await new FakeBoard().start();
    try {
      deps.source = new UrlSource(board.url, fetchOptions, 'esg');
      await poll();
      expect(reads).toEqual([{ sourceId: 'esg', title: 'ESG 정책뉴스', kind: 'board' }]);
      board.fault = 'http500';
      await pollEveryMinute(MINUTE, 20 * MINUTE, () => board.requests.length);
      expect(notices.map((n) => [n.kind, n.sourceId, n.sourceLabel])).toEqual([
        ['down', 'esg', 'ESG 정책뉴스'],
      ]);
    } finally {
      await board.close();
    }
  });

  it('falls back to the source id in a notice before any read had a title', async () => {
    feed.fault = { status: 500 };
    await pollEveryMinute(0, 20 * MINUTE);
    expect(notices.map((n) => n.sourceLabel)).toEqual(['me']);
  });
});
