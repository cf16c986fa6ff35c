import { describe, expect, it } from 'vitest';
import type { ItemNumbers, ItemToNumber } from '../../src/ports/item-numbers.js';
import { useStores, type OpenStores } from './stores.js';

const SOURCE = 'feed';
const AT = new Date('2026-11-20T00:00:00Z');
const at = (minutes: number) => new Date(AT.getTime() + minutes * 60_000);

const item = (key: string, ownNumber: number | null = null): ItemToNumber => ({ key, ownNumber });

/** What every `ItemNumbers` does, checked against `open`'s. */
export function itemNumbersContract(implementation: string, open: OpenStores): void {
  describe(`ItemNumbers contract: ${implementation}`, () => {
    const stores = useStores(open, { maxSeenItems: 3 });
    const numbers = () => stores().itemNumbers;
    const numbersOf = async (items: ItemToNumber[], store: ItemNumbers = numbers()) =>
      (await store.assign(SOURCE, items)).items.map((i) => i.number);

    it('gives an item its own number, else the next of a short sequence, and keeps each for good', async () => {
      expect(
        await numbersOf([item('a', 156605000), item('b'), item('c'), item('d', 4392)]),
      ).toEqual([156605000, 1, 2, 4392]);
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
      await numbers().assign('other', [item('a'), item('b')]);
      expect(await numbersOf([item('a')])).toEqual([1]);
    });

    it('says the first read until something was marked seen, then which items were seen', async () => {
      expect(await numbers().assign(SOURCE, [item('a')])).toEqual({
        firstRead: true,
        items: [{ number: 1, seen: false }],
      });
      await numbers().markSeen(SOURCE, [], AT);
      expect((await numbers().assign(SOURCE, [item('a')])).firstRead).toBe(true);
      await numbers().markSeen(SOURCE, ['a'], AT);
      expect(await numbers().assign(SOURCE, [item('a'), item('b')])).toEqual({
        firstRead: false,
        items: [
          { number: 1, seen: true },
          { number: 2, seen: false },
        ],
      });
    });

    it('forgets the items first seen longest ago beyond its bound, never one in the feed now', async () => {
      // The stores keep three identities per source.
      await numbers().assign(SOURCE, [item('pinned', 4392), item('a', 4393), item('b', 4394)]);
      await numbers().markSeen(SOURCE, ['pinned', 'a', 'b'], at(0));
      await numbers().assign(SOURCE, [item('pinned', 4392), item('c', 4395), item('d', 4396)]);
      // Seen before keeps its first time: `pinned` is the oldest, but in the feed now.
      await numbers().markSeen(SOURCE, ['pinned', 'c', 'd'], at(1));

      const { items } = await numbers().assign(SOURCE, [
        item('a', 4393),
        item('b'),
        item('pinned', 4392),
        item('c', 4395),
        item('d', 4396),
      ]);
      expect(items).toEqual([
        // `a` and `b` are new again: `a` with its own number, freed when it was forgotten…
        { number: 4393, seen: false },
        // …and `b`, whose own number was not given this time, with the next of the sequence.
        { number: 1, seen: false },
        { number: 4392, seen: true },
        { number: 4395, seen: true },
        { number: 4396, seen: true },
      ]);
    });

    it('takes a bound given with the call over its own', async () => {
      await numbers().assign(SOURCE, [item('a'), item('b')]);
      await numbers().markSeen(SOURCE, ['a'], at(0));
      await numbers().markSeen(SOURCE, ['b'], at(1), 1);
      const { items } = await numbers().assign(SOURCE, [item('a'), item('b')]);
      expect(items).toEqual([
        { number: 3, seen: false },
        { number: 2, seen: true },
      ]);
    });
  });
}
