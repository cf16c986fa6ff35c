import type { Post } from './post.js';
import type { Validators } from './source.js';

/** Port: every post the bot has read, by (source, board number). */
export interface PostArchive {
  /** Stores or replaces posts (an edited title replaces the old one). */
  save(posts: readonly Post[]): Promise<void>;
  get(sourceId: string, boardNo: number): Promise<Post | null>;
  /** The `count` highest board numbers, newest first. */
  newest(sourceId: string, count: number): Promise<Post[]>;
  /**
   * Posts whose title or ministry contains every one of `words` (case-insensitive substring,
   * so 탄소 finds 탄소중립을), newest first.
   */
  search(sourceId: string, words: readonly string[], limit: number): Promise<Post[]>;
}

/** What the bot knows of reading one source. */
export interface SourceState {
  /** Highest board number archived and announced; `null` before the first read. */
  cursor: number | null;
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
  lastError: string | null;
  /** When the current run of failed reads began; `null` while reads succeed. */
  failingSince: Date | null;
  /**
   * The source asked us to wait (`Retry-After` on a 429 or 503): no request is sent to it
   * before this time. Absent when it did not, and again once a later read was tried.
   */
  notBefore?: Date;
  validators: Validators;
}

/** Port: each source's cursor and read history. */
export interface SourceStateStore {
  get(sourceId: string): Promise<SourceState>;
  /** Moves the cursor up to `boardNo`; never down, so a late or repeated run cannot rewind it. */
  advanceCursor(sourceId: string, boardNo: number): Promise<void>;
  /** Records a read that worked; ends the current run of failures and any `notBefore`. */
  recordSuccess(sourceId: string, at: Date, validators: Validators): Promise<void>;
  /**
   * Records a failed read. `notBefore` is when the source asked to be read again, if it did;
   * otherwise an earlier one is cleared.
   */
  recordFailure(sourceId: string, at: Date, error: string, notBefore?: Date): Promise<void>;
  /** Marks the outage that began at `since` as announced; true only for the one caller that marked it. */
  claimOutageNotice(sourceId: string, since: Date): Promise<boolean>;
  /** Ends an announced outage: its start for the one caller that ended it, else `null`. */
  clearOutageNotice(sourceId: string): Promise<Date | null>;
}

/** Lower-cased, NFC-normalised text for substring search: same form for stored text and queries. */
export function searchableText(text: string): string {
  return text.normalize('NFC').toLowerCase();
}
