import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/model/source-error.js';
import { pollSource } from '../../src/pipeline/poll/poll-source.js';
import { type PollDeps } from '../../src/pipeline/poll/poll-types.js';
import type { Post } from '../../src/model/post.js';
import type { BoardPage, NewsSource, PageRead } from '../../src/ports/news-source.js';
import { MemoryItemNumbers } from '../doubles/memory-item-numbers.js';
import { MemoryPostArchive } from '../doubles/memory-post-archive.js';
import { MemorySourceStateStore } from '../doubles/memory-source-state-store.js';

/** What one poll may cost in time: the budget of a whole poll, and slow reads backing off. */

const T0 = Date.parse('2026-12-01T00:00:00Z');
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

let clock: number;
let states: MemorySourceStateStore;
let archive: MemoryPostArchive;
let announced: Post[];

function row(boardNo: number): Post {
  return {
    sourceId: 'board',
    boardNo,
    title: `글 ${boardNo}`,
    ministry: null,
    date: '2026-12-01',
    url: `https://board.example.com/post/${boardNo}`,
    originalUrl: null,
  };
}

function page(numbers: number[]): BoardPage {
  return {
    status: 'ok',
    kind: 'board',
    posts: numbers.map(row),
    skipped: [],
    hasOlderPages: false,
    validators: {},
    title: '게시판',
  };
}

/** A board whose page reads and post pages are whatever the test says. */
function board(
  readPage: () => Promise<PageRead>,
  complete: (post: Post) => Promise<Post> = (post) =>
    Promise.resolve({ ...post, ministry: '환경부' }),
): NewsSource {
  return { id: 'board', url: 'https://board.example.com/list', readPage, complete };
}

function deps(source: NewsSource, extra: Partial<PollDeps> = {}): PollDeps {
  return {
    source,
    archive,
    states,
    itemNumbers: new MemoryItemNumbers(),
    announce: (posts) => {
      announced.push(...posts);
      return Promise.resolve();
    },
    logger: pino({ level: 'silent' }),
    now: () => new Date(clock),
    pollIntervalMs: MINUTE,
    ...extra,
  };
}

const never = <T>() => new Promise<T>(() => undefined);

beforeEach(() => {
  clock = T0;
  states = new MemorySourceStateStore();
  archive = new MemoryPostArchive();
  announced = [];
});

describe('a poll’s time budget', () => {
  it('fails a read that outlasts the budget with TIMEOUT, keeping nothing of it', async () => {
    const failure = await pollSource(deps(board(never), { timeBudgetMs: 20 })).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SourceError);
    expect((failure as SourceError).code).toBe('TIMEOUT');
    const state = await states.get('board');
    expect(state.cursor).toBeNull();
    expect(state.lastError).toContain('time budget');
    expect(archive.posts.size).toBe(0);
  });

  it('fails a board poll whose post pages outlast the budget, before anything is announced', async () => {
    await pollSource(deps(board(() => Promise.resolve(page([10, 9])))));
    expect((await states.get('board')).cursor).toBe(10);

    const stuck = board(() => Promise.resolve(page([12, 11, 10])), never);
    await expect(pollSource(deps(stuck, { timeBudgetMs: 20 }))).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    expect((await states.get('board')).cursor).toBe(10);
    expect(announced).toEqual([]);
    expect(archive.posts.has('board|12')).toBe(false);
  });
});

describe('slow reads', () => {
  /** A board whose every read takes `tookMs` on the test's clock. */
  function slowBoard(tookMs: () => number) {
    return board(() => {
      clock += tookMs();
      return Promise.resolve(page([10]));
    });
  }

  it('back off like failures while they last, and a read in time ends it', async () => {
    let took = 10 * SECOND;
    const poll = () =>
      pollSource(
        deps(
          slowBoard(() => took),
          { slowAfterMs: 5 * SECOND },
        ),
      );

    await poll(); // the first slow read: the next scheduled poll still runs
    const first = await states.get('board');
    expect(first.slowSince).toEqual(new Date(T0 + 10 * SECOND));
    clock = T0 + MINUTE;
    expect((await poll()).status).not.toBe('deferred');

    // Slow for three minutes now: the source waits as long before its next read.
    clock = T0 + 3 * MINUTE;
    await poll();
    const waiting = await states.get('board');
    expect(waiting.notBefore!.getTime()).toBeGreaterThan(T0 + 4 * MINUTE);
    clock = T0 + 4 * MINUTE;
    expect(await poll()).toMatchObject({ status: 'deferred' });

    took = SECOND;
    clock = waiting.notBefore!.getTime();
    await poll();
    const after = await states.get('board');
    expect(after.slowSince).toBeUndefined();
    expect(after.notBefore).toBeUndefined();
  });

  it('are only reads: a quick source is never marked slow', async () => {
    await pollSource(
      deps(
        slowBoard(() => SECOND),
        { slowAfterMs: 5 * SECOND },
      ),
    );
    expect((await states.get('board')).slowSince).toBeUndefined();
  });
});

describe('archive retention in a poll', () => {
  it('trims the archive after a read with new posts', async () => {
    let numbers = [3, 2, 1];
    const source = board(() => Promise.resolve(page(numbers)));
    const retention = { maxPosts: 2, maxAgeMs: 365 * 86_400_000 };
    await pollSource(deps(source, { retention }));
    expect(archive.all('board').map((p) => p.boardNo)).toEqual([3, 2]);
    numbers = [5, 4, 3];
    await pollSource(deps(source, { retention }));
    expect(archive.all('board').map((p) => p.boardNo)).toEqual([5, 4]);
    expect(announced.map((p) => p.boardNo)).toEqual([4, 5]);
  });
});
