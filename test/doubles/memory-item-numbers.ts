import type { ItemNumbers, ItemToNumber, NumberedItem } from '../../src/ports/item-numbers.js';

/** Identities remembered per source by default, as the Redis store's `DEFAULT_SEEN_ITEMS`. */
const DEFAULT_SEEN_ITEMS = 10_000;

interface SourceNumbers {
  /** Identity → its number. */
  numbers: Map<string, number>;
  /** Number → the identity that holds it. */
  holders: Map<number, string>;
  /** Identity → when it was first marked seen (ms). */
  seen: Map<string, number>;
  /** The last sequence number given; never goes back, even when identities are forgotten. */
  sequence: number;
}

/**
 * Feed item numbers in memory, with the port's semantics (see `item-numbers.contract.ts`): an
 * identity keeps its number, its own number when free, else the next free one of the source's
 * sequence; the seen set is bounded, forgetting the identities first seen longest ago.
 */
export class MemoryItemNumbers implements ItemNumbers {
  private readonly sources = new Map<string, SourceNumbers>();

  constructor(private readonly maxSeen = DEFAULT_SEEN_ITEMS) {}

  assign(
    sourceId: string,
    items: readonly ItemToNumber[],
  ): Promise<{ firstRead: boolean; items: NumberedItem[] }> {
    const s = this.of(sourceId);
    const firstRead = s.seen.size === 0;
    const numbered = items.map(({ key, ownNumber }) => {
      let number = s.numbers.get(key);
      if (number === undefined) {
        if (ownNumber !== null && !s.holders.has(ownNumber)) {
          number = ownNumber;
        } else {
          // The sequence skips numbers that items carrying their own already hold.
          do number = ++s.sequence;
          while (s.holders.has(number));
        }
        s.holders.set(number, key);
        s.numbers.set(key, number);
      }
      return { number, seen: s.seen.has(key) };
    });
    return Promise.resolve({ firstRead, items: numbered });
  }

  markSeen(
    sourceId: string,
    keys: readonly string[],
    at: Date,
    keep = this.maxSeen,
  ): Promise<void> {
    if (keys.length === 0) return Promise.resolve();
    const s = this.of(sourceId);
    const current = new Set(keys);
    for (const key of keys) if (!s.seen.has(key)) s.seen.set(key, at.getTime());
    const excess = s.seen.size - keep;
    if (excess <= 0) return Promise.resolve();
    // Oldest first; equal times in identity order, as a sorted set ranks them.
    const victims = [...s.seen]
      .sort(([a, at1], [b, at2]) => at1 - at2 || (a < b ? -1 : a > b ? 1 : 0))
      .map(([key]) => key)
      .filter((key) => !current.has(key))
      .slice(0, excess);
    for (const key of victims) {
      s.seen.delete(key);
      const number = s.numbers.get(key);
      s.numbers.delete(key);
      if (number !== undefined && s.holders.get(number) === key) s.holders.delete(number);
    }
    return Promise.resolve();
  }

  /** Deletes a source's numbers and seen items (a released source's data, purged). */
  forgetSource(sourceId: string): void {
    this.sources.delete(sourceId);
  }

  private of(sourceId: string): SourceNumbers {
    let source = this.sources.get(sourceId);
    if (!source) {
      source = { numbers: new Map(), holders: new Map(), seen: new Map(), sequence: 0 };
      this.sources.set(sourceId, source);
    }
    return source;
  }
}
