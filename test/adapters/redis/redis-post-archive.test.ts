import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisPostArchive } from '../../../adapters/redis/redis-post-archive.js';
import { migrateSearchText } from '../../../adapters/redis/redis-search-text-migration.js';
import { RedisSourceStateStore } from '../../../adapters/redis/redis-source-state.js';
import type { Post } from '../../../src/model/post.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

const SOURCE = 'k-esg.org-post';

function post(boardNo: number, title: string, ministry: string | null = '환경부'): Post {
  return {
    sourceId: SOURCE,
    boardNo,
    title,
    ministry,
    date: '2023-11-27',
    url: `https://k-esg.org/post/${boardNo + 2739}`,
    originalUrl: null,
  };
}

let t: TestRedis;
let archive: RedisPostArchive;
let states: RedisSourceStateStore;

beforeEach(async () => {
  t = await connectTestRedis();
  const keys = new RedisKeys(t.prefix);
  archive = new RedisPostArchive(t.redis, keys);
  states = new RedisSourceStateStore(t.redis, keys);
});
afterEach(() => t.cleanup());

describe('post archive', () => {
  it('stores posts and gets one back by board number', async () => {
    const p = post(1645, '3국 환경장관, 황사개선 협력 등 공동합의문 서명');
    await archive.save([p, post(1644, '보건복지부 제1차관 현장방문', '보건복지부')]);
    expect(await archive.get(SOURCE, 1645)).toEqual(p);
    expect(await archive.get(SOURCE, 9999)).toBeNull();
    expect(await archive.get('another-source', 1645)).toBeNull();
  });

  it('replaces a post saved again (an edited title)', async () => {
    await archive.save([post(1645, 'old title')]);
    await archive.save([post(1645, 'new title')]);
    expect((await archive.get(SOURCE, 1645))?.title).toBe('new title');
    expect(await archive.search(SOURCE, ['old'], 10)).toEqual([]);
  });

  it('lists the newest posts by board number, whatever order they were saved in', async () => {
    await archive.save([post(1640, 'a'), post(1652, 'b'), post(1633, 'c'), post(1645, 'd')]);
    expect((await archive.newest(SOURCE, 3)).map((p) => p.boardNo)).toEqual([1652, 1645, 1640]);
    expect(await archive.newest(SOURCE, 0)).toEqual([]);
  });

  it('searches titles and ministries by Korean substring, newest first', async () => {
    await archive.save([
      post(1630, '탄소중립을 위한 산업 전환', '산업통상자원부'),
      post(1640, '기후위기 대응 캠페인', '산림청'),
      post(1652, '정부-지자체-민간이 함께 ‘탄소중립도시’ 최적지 찾는다', '국토교통부'),
      post(1651, 'ESG 공시 가이드라인', '금융위원회'),
    ]);
    const numbers = async (...words: string[]) =>
      (await archive.search(SOURCE, words, 10)).map((p) => p.boardNo);

    expect(await numbers('탄소')).toEqual([1652, 1630]);
    expect(await numbers('산림청')).toEqual([1640]);
    expect(await numbers('esg')).toEqual([1651]);
    expect(await numbers('탄소', '도시')).toEqual([1652]);
    expect(await numbers('원자력')).toEqual([]);
    expect(await numbers('  ')).toEqual([]);
  });

  it('finds full-width letters and words split by invisible characters, both ways', async () => {
    await archive.save([
      post(3, 'ＥＳＧ 공시 의무화'),
      post(2, 'esg 경영 안내'),
      post(1, '광\u200b고 심의 결과'),
    ]);
    const found = async (...words: string[]) =>
      (await archive.search(SOURCE, words, 10)).map((p) => p.boardNo);
    expect(await found('esg')).toEqual([3, 2]);
    expect(await found('ＥＳＧ')).toEqual([3, 2]);
    expect(await found('광고')).toEqual([1]);
    expect(await found('광\u200b고')).toEqual([1]);
    expect(await found('\u200b')).toEqual([]);
  });

  it('rewrites search text archived in the older form once, so those posts are found', async () => {
    const keys = new RedisKeys(t.prefix);
    await archive.save([post(2, 'ＥＳＧ 공시'), post(1, '광\u200b고 심의')]);
    // As an older release stored it: NFC and lower case only.
    for (const [no, title] of [
      [2, 'ＥＳＧ 공시'],
      [1, '광\u200b고 심의'],
    ] as const) {
      await t.redis.hset(keys.postText(SOURCE), String(no), `${title}\n환경부`.toLowerCase());
    }
    expect(await archive.search(SOURCE, ['esg'], 10)).toEqual([]);

    await migrateSearchText(t.redis, keys, { logger: pino({ level: 'silent' }) });

    expect((await archive.search(SOURCE, ['esg'], 10)).map((p) => p.boardNo)).toEqual([2]);
    expect((await archive.search(SOURCE, ['광고'], 10)).map((p) => p.boardNo)).toEqual([1]);
    expect(await t.redis.hget(keys.postText(SOURCE), '2')).toBe('esg 공시\n환경부');
  });

  it('stops a search at the limit, over more posts than one scan batch', async () => {
    await archive.save(
      Array.from({ length: 1200 }, (_, i) => post(i + 1, i % 2 ? `탄소 ${i}` : `물 ${i}`)),
    );
    const found = await archive.search(SOURCE, ['탄소'], 10);
    expect(found.map((p) => p.boardNo)).toEqual([
      1200, 1198, 1196, 1194, 1192, 1190, 1188, 1186, 1184, 1182,
    ]);
    expect((await archive.search(SOURCE, ['물'], 1000)).length).toBe(600);
  });
});

describe('source state', () => {
  it('starts empty, then keeps the cursor, the last read and the validators', async () => {
    expect(await states.get(SOURCE)).toEqual({
      cursor: null,
      lastSuccessAt: null,
      lastErrorAt: null,
      lastError: null,
      failingSince: null,
      validators: {},
    });
    const at = new Date('2026-11-26T05:00:00Z');
    await states.advanceCursor(SOURCE, 1652);
    await states.recordSuccess(SOURCE, at, { etag: '"v1"' });
    await states.recordFailure(SOURCE, new Date(at.getTime() + 1000), 'TIMEOUT: too slow');
    expect(await states.get(SOURCE)).toEqual({
      cursor: 1652,
      lastSuccessAt: at,
      lastErrorAt: new Date(at.getTime() + 1000),
      lastError: 'TIMEOUT: too slow',
      failingSince: new Date(at.getTime() + 1000),
      validators: { etag: '"v1"' },
    });
  });

  it('keeps when failures began until a read succeeds, and lets one caller announce an outage', async () => {
    const first = new Date('2026-11-26T05:00:00Z');
    await states.recordFailure(SOURCE, first, 'NETWORK: down');
    await states.recordFailure(SOURCE, new Date(first.getTime() + 60_000), 'NETWORK: down');
    expect((await states.get(SOURCE)).failingSince).toEqual(first);

    expect(await states.claimOutageNotice(SOURCE, first)).toBe(true);
    expect(await states.claimOutageNotice(SOURCE, first)).toBe(false);
    await states.recordSuccess(SOURCE, new Date(first.getTime() + 120_000), {});
    expect((await states.get(SOURCE)).failingSince).toBeNull();
    expect(await states.clearOutageNotice(SOURCE)).toEqual(first);
    expect(await states.clearOutageNotice(SOURCE)).toBeNull();
  });

  it('never moves the cursor back', async () => {
    await states.advanceCursor(SOURCE, 1652);
    await states.advanceCursor(SOURCE, 1640);
    expect((await states.get(SOURCE)).cursor).toBe(1652);
  });
});

describe('archive retention', () => {
  const numbers = (posts: Post[]) => posts.map((p) => p.boardNo);

  it('keeps the highest numbers up to the count, and forgets the rest entirely', async () => {
    await archive.save(Array.from({ length: 30 }, (_, i) => post(i + 1, `제목 ${i + 1}`)));
    expect(await archive.trim(SOURCE, { maxPosts: 10, maxAgeMs: 86_400_000 }, new Date())).toBe(20);
    expect(numbers(await archive.newest(SOURCE, 100))).toEqual(
      Array.from({ length: 10 }, (_, i) => 30 - i),
    );
    expect(await archive.get(SOURCE, 20)).toBeNull();
    expect(await archive.search(SOURCE, ['제목'], 100)).toHaveLength(10);
    const keys = new RedisKeys(t.prefix);
    for (const key of [keys.posts(SOURCE), keys.postText(SOURCE)]) {
      expect(await t.redis.hlen(key)).toBe(10);
    }
    expect(await t.redis.zcard(keys.postTimes(SOURCE))).toBe(10);
  });

  it('forgets posts first archived longer ago than the age, counting from their first save', async () => {
    const day = 86_400_000;
    const start = new Date('2026-01-01T00:00:00Z');
    await archive.save([post(1, '오래된 글'), post(2, '중간 글')], start);
    await archive.save([post(3, '새 글')], new Date(start.getTime() + 10 * day));
    // Saved again later (a correction): its age still counts from the first save.
    await archive.save([post(1, '오래된 글 (정정)')], new Date(start.getTime() + 9 * day));

    const retention = { maxPosts: 100, maxAgeMs: 5 * day };
    expect(await archive.trim(SOURCE, retention, new Date(start.getTime() + 12 * day))).toBe(2);
    expect(numbers(await archive.newest(SOURCE, 10))).toEqual([3]);
    expect(await archive.trim(SOURCE, retention, new Date(start.getTime() + 12 * day))).toBe(0);
  });

  it('bounds what one search looks through, whatever the archive holds', async () => {
    await archive.save(
      Array.from({ length: 50 }, (_, i) => post(i + 1, i < 5 ? '탄소 옛 글' : '다른 글')),
    );
    // The matches are the five oldest: a search through the newest 40 finds none.
    expect(await archive.search(SOURCE, ['탄소'], 10, 40)).toEqual([]);
    expect(numbers(await archive.search(SOURCE, ['탄소'], 10, 50))).toEqual([5, 4, 3, 2, 1]);
    expect(numbers(await archive.search(SOURCE, ['탄소'], 10))).toEqual([5, 4, 3, 2, 1]);
  });
});
