/** A feed item to number: its identity and the number it carries itself, if any. */
export interface ItemToNumber {
  /** Its identity in the source (see `itemIdentity`). */
  key: string;
  /** The number in its link or guid (see `ownNumberOf`), else `null`. */
  ownNumber: number | null;
}

/** What the bot knows of one item: its number in the source and whether it was seen before. */
export interface NumberedItem {
  number: number;
  /** Marked seen by an earlier poll ({@link ItemNumbers.markSeen}): not new. */
  seen: boolean;
}

/**
 * Port: each feed source's item numbers and its bounded set of items seen. Feed items have no
 * number users can quote unless the bot keeps one per identity; "new" means "not seen before",
 * whatever order or date the feed gives its items.
 */
export interface ItemNumbers {
  /**
   * Gives each identity its number, atomically across processes: the one it already has, else
   * its own number when no other identity of the source holds it, else the source's next
   * sequence number (1, 2, 3 …, skipping numbers held). Numbers are unique per source and an
   * identity keeps its number. Answers in the order asked, and whether the source had any item
   * marked seen before (`firstRead` when not).
   */
  assign(
    sourceId: string,
    items: readonly ItemToNumber[],
  ): Promise<{ firstRead: boolean; items: NumberedItem[] }>;
  /**
   * Marks identities seen at `at` (those seen before keep their time), then forgets the
   * identities first seen longest ago beyond `keep` (the store's bound when omitted), never
   * one of `keys`. A forgotten identity loses its number too. Called once the new items are
   * archived and announced, so a crash before it only repeats an idempotent announcement.
   */
  markSeen(sourceId: string, keys: readonly string[], at: Date, keep?: number): Promise<void>;
}
