import type { Validators } from './news-source.js';

/** What the bot knows of reading one source. */
export interface SourceState {
  /**
   * Highest board number archived and announced; `null` before the first read. On a feed,
   * the highest number given to an item, which says nothing of which is newest.
   */
  cursor: number | null;
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
  lastError: string | null;
  /** When the current run of failed reads began; `null` while reads succeed. */
  failingSince: Date | null;
  /**
   * No request is sent to the source before this time: it asked us to wait (`Retry-After` on
   * a 429 or 503), or it keeps failing and is backing off. Absent when neither, and again
   * once a later read was tried.
   */
  notBefore?: Date;
  validators: Validators;
  /** The source's own title, from its last read that had one (see `PageRead`). */
  title?: string;
  /**
   * When new items were last found (the first read counts): the start of the current quiet
   * spell. Absent before the first successful read since this was recorded.
   */
  lastNewAt?: Date;
  /** The quiet spell (its `lastNewAt`) whose stale notice was sent. */
  staleNoticedSince?: Date;
  /**
   * When the current run of slow reads began (reads that worked but took longer than the
   * lane allows): the source backs off as if failing. Absent after a read in time.
   */
  slowSince?: Date;
  /** HTTP requests the last successful read made, when more than one (see `PageRead.requests`). */
  lastRequests?: number;
  /** The Korean day the oldest item held for its embargo was approved (see `FeedPage.heldFrom`). */
  heldFrom?: string;
  /**
   * Calls counted on the Korean day `day` (`YYYY-MM-DD`), for a source whose rhythm budgets
   * its calls (a data.go.kr key's daily quota); absent for others.
   */
  calls?: { day: string; count: number };
}

/** What a successful read learnt, besides its validators. */
export interface ReadRecord {
  /** The source's title, when the page had one. */
  title?: string | null;
  /** New items were found (or the quiet clock starts): ends the quiet spell. */
  newItemsAt?: Date;
  /**
   * The read was slow: the run of slow reads goes on (or starts) and the source is not read
   * again before `notBefore`. Without it, a run of slow reads ends.
   */
  slow?: { notBefore: Date };
  /** HTTP requests the read made (default one). */
  requests?: number;
  /** Items approved from this Korean day on are held (absent: none; an earlier one is cleared). */
  heldFrom?: string;
  /**
   * Calls to add to the day's count: on the same Korean `day` as counted so far they add up,
   * on a new day they start it again. Absent: the count is left as it is.
   */
  calls?: { day: string; count: number };
}

/** Port: each source's cursor and read history. */
export interface SourceStateStore {
  get(sourceId: string): Promise<SourceState>;
  /** Moves the cursor up to `boardNo`; never down, so a late or repeated run cannot rewind it. */
  advanceCursor(sourceId: string, boardNo: number): Promise<void>;
  /**
   * Records a read that worked; ends the current run of failures and any `notBefore`. With
   * `read.newItemsAt`, also starts a new quiet spell (a later stale notice may be sent).
   */
  recordSuccess(
    sourceId: string,
    at: Date,
    validators: Validators,
    read?: ReadRecord,
  ): Promise<void>;
  /**
   * Records a failed read. `notBefore` is when the source may be read again (it asked to wait,
   * or it is backing off); otherwise an earlier one is cleared.
   */
  recordFailure(sourceId: string, at: Date, error: string, notBefore?: Date): Promise<void>;
  /** Marks the outage that began at `since` as announced; true only for the one caller that marked it. */
  claimOutageNotice(sourceId: string, since: Date): Promise<boolean>;
  /** Ends an announced outage: its start for the one caller that ended it, else `null`. */
  clearOutageNotice(sourceId: string): Promise<Date | null>;
  /**
   * Marks the quiet spell that began at `since` as announced stale; true only for the one
   * caller that marked it. New items (`recordSuccess` with `newItemsAt`) end the spell.
   */
  claimStaleNotice(sourceId: string, since: Date): Promise<boolean>;
}
