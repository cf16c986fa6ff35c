import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisItemNumbers } from '../../../adapters/redis/redis-item-numbers.js';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import type { ItemToNumber } from '../../../src/ports/item-numbers.js';
import { connectTestRedis, TEST_REDIS_URL, type TestRedis } from '../../support/redis.js';

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

describe('feed item numbers', () => {
  it('gives an item its own number, else the next of a short sequence, and keeps each for good', async () => {
    expect(await numbersOf([item('a', 156605000), item('b'), item('c'), item('d', 4392)])).toEqual([
      156605000, 1, 2, 4392,
    ]);
    expect(await numbersOf([item('e'), item('c'), item('a', 156605000)])).toEqual([
      3, 2, 156605000,
    ]);
  });

  it('gives a sequence number to an item whose own number another item holds', async () => {
    await numbersOf([item('tag:one', 11)]);
    expect(await numbersOf([item('tag:two', 11), item('tag:three', 11)])).toEqual([1, 2]);
    expect(await numbersOf([item('tag:one', 11)])).toEqual([11]);
  });

  it('skips sequence numbers that items carrying their own already hold', async () => {
    await numbersOf([item('own-1', 1), item('own-3', 3)]);
    expect(await numbersOf([item('x'), item('y'), item('z')])).toEqual([2, 4, 5]);
  });

  it('keeps numbers apart per source', async () => {
    await numbers.assign('other', [item('a'), item('b')]);
    expect(await numbersOf([item('a')])).toEqual([1]);
  });

  it('says the first read until something was marked seen, then which items were seen', async () => {
    expect(await numbers.assign(SOURCE, [item('a')])).toEqual({
      firstRead: true,
      items: [{ number: 1, seen: false }],
    });
    await numbers.markSeen(SOURCE, ['a'], AT);
    expect(await numbers.assign(SOURCE, [item('a'), item('b')])).toEqual({
      firstRead: false,
      items: [
        { number: 1, seen: true },
        { number: 2, seen: false },
      ],
    });
  });

  it('forgets the items first seen longest ago beyond its bound, never one in the feed now', async () => {
    const small = new RedisItemNumbers(t.redis, keys, 3);
    const at = (minutes: number) => new Date(AT.getTime() + minutes * 60_000);
    await small.assign(SOURCE, [item('pinned', 4392), item('a', 4393), item('b', 4394)]);
    await small.markSeen(SOURCE, ['pinned', 'a', 'b'], at(0));
    await small.assign(SOURCE, [item('pinned', 4392), item('c', 4395), item('d', 4396)]);
    // Seen before keeps its first time: `pinned` is the oldest, but in the feed now.
    await small.markSeen(SOURCE, ['pinned', 'c', 'd'], at(1));

    const seen = await t.redis.zrange(keys.itemsSeen(SOURCE), 0, -1);
    expect(seen.sort()).toEqual(['c', 'd', 'pinned']);
    const { items } = await small.assign(SOURCE, [item('a', 4393), item('pinned', 4392)]);
    // `a` is new again, with its own number (freed when it was forgotten).
    expect(items).toEqual([
      { number: 4393, seen: false },
      { number: 4392, seen: true },
    ]);
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
