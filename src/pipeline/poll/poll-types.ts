import type { SourceKind } from '../../sources/source-kinds.js';
import type { SourceNotice } from '../../model/news-message.js';
import type { Post } from '../../model/post.js';
import type { ItemNumbers } from '../../ports/item-numbers.js';
import type { NewsSource } from '../../ports/news-source.js';
import type { ArchiveRetention, PostArchive } from '../../ports/post-archive.js';
import type { SourceStateStore } from '../../ports/source-state-store.js';
import type { Logger } from '../../util/logger.js';
import type { PollRhythm } from '../../model/poll-rhythm.js';

// Apart from poll-source.ts because the board and feed strategies (poll-board.ts,
// poll-feed.ts, find-corrections.ts) take the same deps and answer the same outcomes:
// imported from the file that imports them, the four imported each other.

/** What a successful read learnt about the source, for the source registry. */
export interface SourceReadDetails {
  sourceId: string;
  /** The source's own title, cleaned (see `PageRead`); `null` when the page has none. */
  title: string | null;
  kind: SourceKind;
}

/** What `pollSource()` and its board and feed strategies need; the poll worker passes it in. */
export interface PollDeps {
  source: NewsSource;
  archive: PostArchive;
  states: SourceStateStore;
  /** Feed items' numbers and the items seen, per source (boards need none). */
  itemNumbers: ItemNumbers;
  /**
   * Hands new posts on for delivery, oldest first, after they are archived and before the
   * cursor passes them (or, on a feed, before they are marked seen). Must be idempotent: a
   * crash between the two repeats it.
   */
  announce: (posts: Post[]) => Promise<void>;
  /**
   * Hands on posts already announced that the source has since corrected (another title or
   * ministry), after the archive holds the corrected version: their alerts are edited.
   * Must be idempotent, like `announce`.
   */
  announceCorrections?: (posts: Post[]) => Promise<void>;
  logger: Logger;
  now?: () => Date;
  /** How many older pages to read at most when closing a gap in board numbers. */
  maxGapPages?: number;
  /** Post pages fetched at once for their details. */
  detailConcurrency?: number;
  /**
   * Tells the source's followers that it has been failing for `outageNoticeAfterMs`, and
   * again when it recovers, or that it has had nothing new for `staleAfterMs`: a source is
   * never silently broken for the readers. Each notice is sent once per outage or quiet
   * spell, whichever worker polls, and names the source by its title.
   */
  announceNotice?: (notice: SourceNotice) => Promise<void>;
  outageNoticeAfterMs?: number;
  /**
   * More new posts than this in one poll is not news but a changed or reset source (another
   * feed, renumbered posts): the newest this many are announced, the rest only archived.
   */
  maxAlertsPerPoll?: number;
  /**
   * A feed item first seen but published longer ago than this is archived without an alert
   * (`SOURCE_MAX_AGE`, default three days): a feed that re-dates or backfills old items is
   * not news. Boards are not concerned: a new board number is a new post.
   */
  maxAgeMs?: number;
  /**
   * How often the source is polled (`POLL_INTERVAL`): the first wait of a failing source,
   * which then doubles up to `MAX_SOURCE_BACKOFF_MS` (poll-source.ts).
   */
  pollIntervalMs?: number;
  /**
   * The source's busy and quiet intervals (see `PollRhythm`): its poll job runs every
   * scheduler tick, and a poll sooner than the interval in force after the source was last
   * asked is `not-due`. The interval in force also replaces `pollIntervalMs` as the first
   * wait of a failing source. Without it every poll is due.
   */
  rhythm?: PollRhythm;
  /**
   * A source that reads fine but has had no new item for this long is announced stale, once
   * per quiet spell (`SOURCE_STALE_AFTER`, default 14 days; 0: never).
   */
  staleAfterMs?: number;
  /** Called after each successful read that returned a page (not after a 304). */
  onRead?: (details: SourceReadDetails) => Promise<void>;
  /**
   * What the archive keeps of this source, applied after each read that found new items
   * (default: everything).
   */
  retention?: ArchiveRetention;
  /** Feed item identities remembered as seen (default: the store's own bound). */
  maxSeenItems?: number;
  /**
   * Longest the whole poll may take, every request included (default: none): past it the
   * read fails with `TIMEOUT` and nothing of it is kept, so one slow source cannot hold its
   * lane.
   */
  timeBudgetMs?: number;
  /**
   * A read that works but takes longer than this backs the source off as a failed read
   * would, until reads are quick again (default: never).
   */
  slowAfterMs?: number;
}

/** How one poll ended. */
export type PollOutcome =
  | { status: 'not-modified' }
  /**
   * The source asked us to wait (`Retry-After`), or is failing and backing off, until `until`
   * (ISO time): nothing was sent to it.
   */
  | { status: 'deferred'; until: string }
  /**
   * The source was asked less than the interval in force (busy or quiet hours) ago: nothing
   * was sent to it, nothing recorded. `dueAt` (ISO time) is when a poll is due again.
   */
  | { status: 'not-due'; dueAt: string }
  /** The very first read: what is there is archived, nobody is alerted. */
  | { status: 'initialized'; archived: number; cursor: number | null }
  | {
      status: 'read';
      announced: number[];
      skipped: number[];
      /** New posts archived without an alert (beyond `maxAlertsPerPoll`, or too old). */
      archivedOnly: number;
      cursor: number | null;
    };

/** What a poll that reached the source ended in. */
export type ReadOutcome = Exclude<PollOutcome, { status: 'deferred' | 'not-due' }>;
