import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisPostArchive } from '../../../adapters/redis/redis-post-archive.js';
import { RELEASE_BUCKETS, releaseBucket } from '../../../adapters/redis/release-index-scripts.js';
import { migrateSearchText } from '../../../adapters/redis/redis-search-text-migration.js';
import type { Post } from '../../../src/model/post.js';
import { postArchiveContract } from '../../contracts/post-archive.contract.js';
import { openRedisStores } from '../../contracts/redis-stores.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

postArchiveContract('RedisPostArchive', openRedisStores);

const SOURCE = 'k-esg.org-post';

function post(boardNo: number, title: string): Post {
  return {
    sourceId: SOURCE,
    boardNo,
    title,
    ministry: '환경부',
    date: '2023-11-27',
    url: `https://k-esg.org/post/${boardNo + 2739}`,
    originalUrl: null,
  };
}

let t: TestRedis;
let keys: RedisKeys;
let archive: RedisPostArchive;

beforeEach(async () => {
  t = await connectTestRedis();
  keys = new RedisKeys(t.prefix);
  archive = new RedisPostArchive(t.redis, keys);
});
afterEach(() => t.cleanup());

describe('post archive in Redis', () => {
  it('rewrites search text archived in the older form once, so those posts are found', async () => {
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

  it('trims every key of a post: its JSON, number, search text and time', async () => {
    await archive.save(Array.from({ length: 30 }, (_, i) => post(i + 1, `제목 ${i + 1}`)));
    await archive.trim(SOURCE, { maxPosts: 10, maxAgeMs: 86_400_000 }, new Date());
    for (const key of [keys.posts(SOURCE), keys.postText(SOURCE)]) {
      expect(await t.redis.hlen(key)).toBe(10);
    }
    for (const key of [keys.postNumbers(SOURCE), keys.postTimes(SOURCE)]) {
      expect(await t.redis.zcard(key)).toBe(10);
    }
  });

  it('indexes releases in a few small buckets, forgetting those not carried for a month', async () => {
    const day = 86_400_000;
    const view = (id: number) => `https://www.korea.kr/briefing/pressReleaseView.do?newsId=${id}`;
    const old = new Date(Date.now() - 40 * day);
    // 64 releases in one bucket (ids 64 apart), saved 40 days ago, then one more today.
    const stale = Array.from({ length: 64 }, (_, i) => ({
      ...post(i + 1, `옛 글 ${i}`),
      originalUrl: view(156_700_000 + i * RELEASE_BUCKETS),
    }));
    await archive.save(stale, old);
    expect(await archive.carriers(String(156_700_000))).toEqual([]);
    const fresh = { ...post(100, '새 글'), originalUrl: view(156_700_000 + 64 * RELEASE_BUCKETS) };
    await archive.save([fresh]);
    const bucket = keys.releaseCarriers(releaseBucket(String(156_700_000)));
    // The stale releases were pruned as the bucket grew past its bound; the new one is there.
    expect(await t.redis.hlen(bucket)).toBe(1);
    expect(
      (await archive.carriers(String(156_700_000 + 64 * RELEASE_BUCKETS))).map((p) => p.boardNo),
    ).toEqual([100]);
    expect(await t.redis.pttl(bucket)).toBeGreaterThan(29 * day);
    // Every bucket key of a month of releases stays a compact listpack.
    expect(await t.redis.object('ENCODING', bucket)).toBe('listpack');
  });
});
