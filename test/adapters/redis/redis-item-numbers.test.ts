import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisItemNumbers } from '../../../adapters/redis/redis-item-numbers.js';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import type { ItemToNumber } from '../../../src/ports/item-numbers.js';
import { itemNumbersContract } from '../../contracts/item-numbers.contract.js';
import { openRedisStores } from '../../contracts/redis-stores.js';
import { connectTestRedis, TEST_REDIS_URL, type TestRedis } from '../../support/redis.js';

itemNumbersContract('RedisItemNumbers', openRedisStores);

const SOURCE = 'feed';
const AT = new Date('2026-11-20T00:00:00Z');

let t: TestRedis;
let keys: RedisKeys;
let numbers: RedisItemNumbers;

beforeEach(async () => {
  t = await connectTestRedis();
  keys = new RedisKeys(t.prefix);
  numbers = new RedisItemNumbers(t.redis, keys);
});
afterEach(() => t.cleanup());

const item = (key: string, ownNumber: number | null = null): ItemToNumber => ({ key, ownNumber });
const numbersOf = async (items: ItemToNumber[], store = numbers) =>
  (await store.assign(SOURCE, items)).items.map((i) => i.number);

describe('feed item numbers in Redis', () => {
  it('leaves no trace of a forgotten item, in either direction of the numbers hash', async () => {
    const small = new RedisItemNumbers(t.redis, keys, 3);
    const at = (minutes: number) => new Date(AT.getTime() + minutes * 60_000);
    await small.assign(SOURCE, [item('pinned', 4392), item('a', 4393), item('b', 4394)]);
    await small.markSeen(SOURCE, ['pinned', 'a', 'b'], at(0));
    await small.assign(SOURCE, [item('pinned', 4392), item('c', 4395), item('d', 4396)]);
    await small.markSeen(SOURCE, ['pinned', 'c', 'd'], at(1));

    const seen = await t.redis.zrange(keys.itemsSeen(SOURCE), 0, -1);
    expect(seen.sort()).toEqual(['c', 'd', 'pinned']);
    await small.assign(SOURCE, [item('a', 4393)]);
    // Both directions of pinned, c, d and a again: `b` left no trace.
    expect(await t.redis.hlen(keys.itemNumbers(SOURCE))).toBe(2 * 4);
  });

  it('gives each identity one number when two processes number the same new items at once', async () => {
    const other = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    try {
      const second = new RedisItemNumbers(other, keys);
      for (let round = 0; round < 20; round++) {
        const batch = Array.from({ length: 30 }, (_, i) =>
          item(`r${round}-${i}`, i % 3 === 0 ? 1000 + (i % 9) : null),
        );
        const [a, b] = await Promise.all([
          numbersOf(batch, numbers),
          numbersOf([...batch].reverse(), second),
        ]);
        expect(a).toEqual([...b].reverse());
      }
      const all = await t.redis.hgetall(keys.itemNumbers(SOURCE));
      const byItem = Object.entries(all).filter(([field]) => field.startsWith('i:'));
      const given = byItem.map(([, n]) => n);
      expect(byItem).toHaveLength(20 * 30);
      expect(new Set(given).size).toBe(given.length);
    } finally {
      other.disconnect();
    }
  });
});
