/** What ordering a feed's items needs of them: when each was published, if known (epoch ms). */
export interface Dated {
  publishedAt: number | null;
}

/**
 * The items oldest first: by publication time, undated ones last (the parser dates them
 * today); ties in the feed's own direction: reversed when the feed lists newest first (its
 * first dated item is later than its last), in feed order otherwise.
 */
export function oldestFirst<T extends Dated>(items: readonly T[]): T[] {
  const dated = items.filter((item) => item.publishedAt !== null);
  const newestFirst =
    dated.length >= 2 && dated[0]!.publishedAt! > dated[dated.length - 1]!.publishedAt!;
  return items
    .map((item, index) => ({ item, order: newestFirst ? -index : index }))
    .sort(
      (a, b) =>
        (a.item.publishedAt ?? Infinity) - (b.item.publishedAt ?? Infinity) || a.order - b.order,
    )
    .map(({ item }) => item);
}

/**
 * The newest `max` of the items (in the order {@link oldestFirst} gives them), kept in their
 * own order: what a read considers of a feed that lists more.
 */
export function newestOf<T extends Dated>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const kept = new Set(oldestFirst(items).slice(items.length - max));
  return items.filter((item) => kept.has(item));
}
