import type { PostArchive, SourceState, SourceStateStore } from './archive.js';
import { settleWithLimit } from './concurrency.js';
import { describeError, redactUrl, SourceError } from './errors.js';
import type { Logger } from './logger.js';
import type { SourceNotice } from './news-message.js';
import type { Post } from './post.js';
import type { NewsSource, PageRead } from './source.js';

/**
 * Longest a source's `Retry-After` is honoured: a hostile or mistaken header must not silence
 * a source for days. Past it the source is read again, and may ask again.
 */
export const MAX_SOURCE_DEFER_MS = 6 * 3_600_000;

export interface PollDeps {
  source: NewsSource;
  archive: PostArchive;
  states: SourceStateStore;
  /**
   * Hands new posts on for delivery, oldest first, after they are archived and before the
   * cursor passes them. Must be idempotent: a crash between the two repeats it.
   */
  announce: (posts: Post[]) => Promise<void>;
  logger: Logger;
  now?: () => Date;
  /** How many older pages to read at most when closing a gap in board numbers. */
  maxGapPages?: number;
  /** Post pages fetched at once for their details. */
  detailConcurrency?: number;
  /**
   * Tells subscribed channels that the source has been failing for `outageNoticeAfterMs`, and
   * again when it recovers: a failing source is never silent for the readers. Each notice is
   * sent once per outage, whichever worker polls.
   */
  announceNotice?: (notice: SourceNotice) => Promise<void>;
  outageNoticeAfterMs?: number;
  /**
   * More new posts than this in one poll is not news but a changed or reset source (another
   * feed, renumbered posts): the newest this many are announced, the rest only archived.
   */
  maxAlertsPerPoll?: number;
}

export type PollOutcome =
  | { status: 'not-modified' }
  /** The source asked us to wait (`Retry-After`) until `until` (ISO time): nothing was sent to it. */
  | { status: 'deferred'; until: string }
  /** The very first read: what is there is archived, nobody is alerted. */
  | { status: 'initialized'; archived: number; cursor: number | null }
  | {
      status: 'read';
      announced: number[];
      skipped: number[];
      /** New posts archived without an alert (beyond `maxAlertsPerPoll`). */
      archivedOnly: number;
      cursor: number | null;
    };

/**
 * One poll of one source: finds the board numbers above the cursor (reading older pages when
 * the lowest new number does not follow the cursor), completes each from its own page,
 * archives it, announces it and only then moves the cursor past it. A failure stops the poll
 * where it is: what was announced stays announced, the rest is found again next time.
 * A source that answered `Retry-After` is not asked again before that time (capped at
 * {@link MAX_SOURCE_DEFER_MS}); such a poll is `deferred` and records neither success nor failure.
 */
export async function pollSource(deps: PollDeps): Promise<PollOutcome> {
  const { source, states, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const state = await states.get(source.id);
  if (state.notBefore && now() < state.notBefore) {
    const until = state.notBefore.toISOString();
    logger.info({ source: source.id, until }, 'source asked us to wait; poll deferred');
    return { status: 'deferred', until };
  }
  let outcome: ReadOutcome;
  try {
    outcome = await readAndAnnounce(deps, state);
  } catch (error) {
    const at = now();
    await states.recordFailure(source.id, at, describeError(error), notBeforeAfter(error, at));
    await noticeOutage(deps, describeError(error));
    throw error;
  }
  if (outcome.status !== 'not-modified') {
    logger.info({ source: source.id, ...summary(outcome) }, 'poll finished');
  }
  if (deps.announceNotice) {
    const since = await states.clearOutageNotice(source.id);
    if (since) await deps.announceNotice(notice(deps, 'recovered', since, null));
  }
  return outcome;
}

/** When the failed source asked to be read again, if it did. */
function notBeforeAfter(error: unknown, at: Date): Date | undefined {
  if (!(error instanceof SourceError) || error.retryAfterMs === undefined) return undefined;
  return new Date(at.getTime() + Math.min(error.retryAfterMs, MAX_SOURCE_DEFER_MS));
}

async function noticeOutage(deps: PollDeps, error: string): Promise<void> {
  if (!deps.announceNotice) return;
  const now = (deps.now ?? (() => new Date()))();
  const { failingSince } = await deps.states.get(deps.source.id);
  if (!failingSince) return;
  const after = deps.outageNoticeAfterMs ?? 3_600_000;
  if (now.getTime() - failingSince.getTime() < after) return;
  if (await deps.states.claimOutageNotice(deps.source.id, failingSince)) {
    deps.logger.warn(
      { source: deps.source.id, since: failingSince },
      'source failing; telling the channels',
    );
    await deps.announceNotice(notice(deps, 'down', failingSince, error));
  }
}

function notice(
  deps: PollDeps,
  kind: SourceNotice['kind'],
  since: Date,
  error: string | null,
): SourceNotice {
  return {
    kind,
    sourceId: deps.source.id,
    // Job data and chat: never the raw URL, which may carry an access key.
    sourceUrl: redactUrl(deps.source.url),
    since: since.toISOString(),
    error,
  };
}

/** What a poll that reached the source ended in. */
type ReadOutcome = Exclude<PollOutcome, { status: 'deferred' }>;

async function readAndAnnounce(deps: PollDeps, state: SourceState): Promise<ReadOutcome> {
  const { source, archive, states, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const firstRead = state.cursor === null;

  // Without a cursor a 304 would leave the store empty for good: ask unconditionally.
  const page1 = await source.readPage(1, firstRead ? {} : state.validators);
  if (page1.status === 'not-modified') {
    await states.recordSuccess(source.id, now(), state.validators);
    return page1;
  }
  warnSkipped(deps, 1, page1);

  if (state.cursor === null) {
    const posts = await completeAll(deps, page1.posts);
    await archive.save(posts);
    const cursor = highest(posts);
    if (cursor !== null) await states.advanceCursor(source.id, cursor);
    await states.recordSuccess(source.id, now(), page1.validators);
    return { status: 'initialized', archived: posts.length, cursor };
  }

  const cursor = state.cursor;
  const found = new Map<number, Post>();
  const collect = (posts: Post[]) => {
    for (const post of posts) if (post.boardNo > cursor) found.set(post.boardNo, post);
  };
  collect(page1.posts);

  // Numbers rise by one: a lowest new number above cursor + 1 means posts on older pages.
  let hasOlder = page1.hasOlderPages;
  for (let page = 2; page <= (deps.maxGapPages ?? 10) + 1 && hasOlder; page++) {
    if (found.size === 0 || Math.min(...found.keys()) <= cursor + 1) break;
    const read = await source.readPage(page);
    if (read.status !== 'ok' || read.posts.length === 0) break;
    warnSkipped(deps, page, read);
    collect(read.posts);
    hasOlder = read.hasOlderPages && read.posts.every((p) => p.boardNo > cursor);
  }

  const fresh = [...found.values()].sort((a, b) => a.boardNo - b.boardNo);
  const skipped = page1.kind === 'board' ? missingNumbers(cursor, fresh) : [];
  if (skipped.length > 0) {
    logger.warn(
      { source: source.id, skipped: skipped.slice(0, 50), count: skipped.length },
      'board numbers not found on the board; skipping them',
    );
  }

  const cap = deps.maxAlertsPerPoll ?? 100;
  const archivedOnly = fresh.length > cap ? fresh.slice(0, fresh.length - cap) : [];
  if (archivedOnly.length > 0) {
    await archive.save(archivedOnly);
    logger.warn(
      { source: source.id, count: archivedOnly.length, from: archivedOnly[0]!.boardNo },
      'too many new posts at once for news; archived the oldest without alerting',
    );
  }
  const toAnnounce = fresh.slice(archivedOnly.length);

  // Details are fetched for all at once; the posts before the first failure still go out.
  const completed = await settleWithLimit(toAnnounce, deps.detailConcurrency ?? 4, (post) =>
    source.complete(post),
  );
  const failedAt = completed.findIndex((result) => result.status === 'rejected');
  const ready = (failedAt < 0 ? completed : completed.slice(0, failedAt)).map(
    (result) => (result as PromiseFulfilledResult<Post>).value,
  );
  if (ready.length > 0) {
    await archive.save(ready);
    await deps.announce(ready);
    await states.advanceCursor(source.id, ready.at(-1)!.boardNo);
  }
  const announced = ready.map((post) => post.boardNo);
  if (failedAt >= 0) throw (completed[failedAt] as PromiseRejectedResult).reason;
  await states.recordSuccess(source.id, now(), page1.validators);
  return {
    status: 'read',
    announced,
    skipped,
    archivedOnly: archivedOnly.length,
    cursor: highest(fresh) ?? cursor,
  };
}

/** Most descriptions of skipped rows in one log line (a feed may hold thousands of items). */
const SKIPPED_LOGGED = 20;

function warnSkipped(deps: PollDeps, page: number, read: Extract<PageRead, { status: 'ok' }>) {
  const { skipped } = read;
  if (skipped.length === 0) return;
  deps.logger.warn(
    {
      source: deps.source.id,
      page,
      skipped: skipped.slice(0, SKIPPED_LOGGED),
      count: skipped.length,
    },
    'rows skipped on the source page',
  );
}

async function completeAll(deps: PollDeps, posts: Post[]): Promise<Post[]> {
  const results = await settleWithLimit(posts, deps.detailConcurrency ?? 4, (post) =>
    deps.source.complete(post),
  );
  return results.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
}

function missingNumbers(cursor: number, fresh: Post[]): number[] {
  const present = new Set(fresh.map((p) => p.boardNo));
  const top = highest(fresh) ?? cursor;
  const missing: number[] = [];
  for (let n = cursor + 1; n < top; n++) if (!present.has(n)) missing.push(n);
  return missing;
}

function highest(posts: Post[]): number | null {
  return posts.length === 0 ? null : Math.max(...posts.map((p) => p.boardNo));
}

function summary(outcome: Exclude<ReadOutcome, { status: 'not-modified' }>) {
  return outcome.status === 'initialized'
    ? { status: outcome.status, archived: outcome.archived, cursor: outcome.cursor }
    : {
        status: outcome.status,
        announced: outcome.announced.length,
        skipped: outcome.skipped.length,
        cursor: outcome.cursor,
      };
}
