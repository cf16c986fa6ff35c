import type { ArchiveRetention } from '../../ports/post-archive.js';
import type { SourceState } from '../../ports/source-state-store.js';
import { describeError, redactUrl, SourceError } from '../../model/source-error.js';
import type { SourceNotice } from '../../model/news-message.js';
import { pollBoard, warnSkipped } from './poll-board.js';
import { pollFeed } from './poll-feed.js';
import { withTimeBudget } from './time-budget.js';
import { SOURCE_KINDS } from '../../sources/source-kinds.js';
import type { BoardPage, FeedPage } from '../../ports/news-source.js';
import type { PollDeps, PollOutcome, ReadOutcome } from './poll-types.js';
import { intervalAt, pollDue } from '../../model/poll-rhythm.js';
import { koreaDate } from '../../model/post.js';

/**
 * Longest a source's `Retry-After` is honoured: a hostile or mistaken header must not silence
 * a source for days. Past it the source is read again, and may ask again.
 */
export const MAX_SOURCE_DEFER_MS = 6 * 3_600_000;

/**
 * Longest a spent daily quota defers a source (`QUOTA_EXCEEDED`, whose wait the reader works
 * out itself: until the quota's next midnight, up to a day away).
 */
export const MAX_QUOTA_DEFER_MS = 25 * 3_600_000;

/** Longest a failing source waits between reads: a source back up is noticed within this. */
export const MAX_SOURCE_BACKOFF_MS = 30 * 60_000;

/** Default of {@link PollDeps.pollIntervalMs}, the configuration's `POLL_INTERVAL` default. */
export const DEFAULT_POLL_INTERVAL_MS = 5 * 60_000;

/** Default of {@link PollDeps.staleAfterMs}: two weeks. */
export const DEFAULT_STALE_AFTER_MS = 14 * 86_400_000;

/**
 * One poll of one source: reads its newest page and hands it to the board's strategy (a post
 * is its number, see `pollBoard`) or the feed's (an item is its identity, see `pollFeed`).
 * A source that answered `Retry-After`, or keeps failing, is not asked again before its
 * `notBefore` (see {@link PollDeps.pollIntervalMs}); such a poll is `deferred` and records
 * neither success nor failure. A poll sooner than its rhythm's interval in force after the
 * source was last asked is `not-due`, and records nothing either (see {@link PollDeps.rhythm}).
 * Outage, recovery and staleness notices go out from here.
 */
export async function pollSource(deps: PollDeps): Promise<PollOutcome> {
  const { source, states, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const started = now();
  const state = await states.get(source.id);
  // Before the deferral: a tick that would be skipped anyway is not logged as deferred.
  if (deps.rhythm) {
    const asked = lastAskedAt(state);
    const check = pollDue(deps.rhythm, started, asked, {
      lastRequests: state.lastRequests,
      callsToday: state.calls?.day === koreaDate(started) ? state.calls.count : 0,
    });
    if (!check.due) return { status: 'not-due', dueAt: check.dueAt.toISOString() };
  }
  if (state.notBefore && started < state.notBefore) {
    const until = state.notBefore.toISOString();
    logger.info(
      { source: source.id, until },
      'source not read before its wait ends; poll deferred',
    );
    return { status: 'deferred', until };
  }
  let read: PageOutcome;
  try {
    const source =
      deps.timeBudgetMs === undefined
        ? deps.source
        : withTimeBudget(deps.source, deps.timeBudgetMs);
    read = await readAndAnnounce({ ...deps, source }, state, started);
  } catch (error) {
    const at = now();
    const notBefore = notBeforeAfter(deps, state, error, started, at);
    await states.recordFailure(source.id, at, describeError(error), notBefore);
    await noticeOutage(deps, state, describeError(error));
    throw error;
  }
  const { outcome, page, foundNew } = read;
  if (outcome.status !== 'not-modified') {
    logger.info({ source: source.id, ...summary(outcome) }, 'poll finished');
  }
  if (foundNew && deps.retention) await trimArchive(deps, deps.retention, now());
  if (deps.announceNotice) {
    const label = page?.title ?? state.title ?? source.id;
    const since = await states.clearOutageNotice(source.id);
    if (since) await deps.announceNotice(notice(deps, 'recovered', since, null, label));
    if (!foundNew) await noticeStale(deps, state, now(), label);
  }
  return outcome;
}

/** Whether the page is of a kind whose numbers follow publication (see `SOURCE_KINDS`). */
function isNumbered(page: BoardPage | FeedPage): page is BoardPage {
  return SOURCE_KINDS[page.kind].sequentialNumbers;
}

/** When the source was last asked, whatever it answered; `null` when never. */
function lastAskedAt(state: SourceState): Date | null {
  const { lastSuccessAt, lastErrorAt } = state;
  if (!lastSuccessAt || !lastErrorAt) return lastSuccessAt ?? lastErrorAt;
  return lastSuccessAt > lastErrorAt ? lastSuccessAt : lastErrorAt;
}

/** A poll that reached the source: its outcome, the page read (not on a 304), and whether new items turned up. */
interface PageOutcome {
  outcome: ReadOutcome;
  page: BoardPage | FeedPage | null;
  foundNew: boolean;
}

async function readAndAnnounce(
  deps: PollDeps,
  state: SourceState,
  started: Date,
): Promise<PageOutcome> {
  const { source, states } = deps;
  const now = deps.now ?? (() => new Date());
  // Before the first read (or the first by a release that keeps `lastNewAt`), a 304 would
  // leave the store empty, or a feed's seen items unknown, for good: ask unconditionally.
  const unknown = state.cursor === null || !state.lastNewAt;
  const hints = state.heldFrom ? { heldFrom: state.heldFrom } : undefined;
  const page1 = await source.readPage(1, unknown ? {} : state.validators, hints);
  if (page1.status === 'not-modified') {
    const at = now();
    const slowUntil = slowReadBackoff(deps, state, started, at);
    // Nothing changed: what the last read learnt of the source still holds.
    await states.recordSuccess(source.id, at, state.validators, {
      ...(slowUntil ? { slow: { notBefore: slowUntil } } : {}),
      ...(state.lastRequests ? { requests: state.lastRequests } : {}),
      ...(state.heldFrom ? { heldFrom: state.heldFrom } : {}),
      ...(deps.rhythm?.perRequest ? { calls: { day: koreaDate(at), count: 1 } } : {}),
    });
    return { outcome: page1, page: null, foundNew: false };
  }
  warnSkipped(deps, 1, page1);
  // Before anything is announced, so the first alerts already name the source by its title.
  if (deps.onRead) {
    try {
      await deps.onRead({ sourceId: source.id, title: page1.title, kind: page1.kind });
    } catch (error) {
      // The source's name in chat is not worth failing a read for.
      deps.logger.warn({ source: source.id, err: error }, 'could not record what the read learnt');
    }
  }
  // By the kind's numbers: numbered rows (a board), or items known by identity (a feed, the API).
  const outcome = isNumbered(page1)
    ? await pollBoard(deps, state, page1)
    : await pollFeed(deps, state, page1, now());
  if (!isNumbered(page1) && page1.held) {
    deps.logger.info(
      { source: source.id, held: page1.held },
      'items under embargo left for a later read',
    );
  }
  const foundNew =
    outcome.status === 'initialized' ||
    (outcome.status === 'read' && outcome.announced.length + outcome.archivedOnly > 0);
  const at = now();
  // A state from before `lastNewAt` was kept starts its quiet clock now.
  const newItems = foundNew || !state.lastNewAt;
  const slowUntil = slowReadBackoff(deps, state, started, at);
  await states.recordSuccess(source.id, at, page1.validators, {
    title: page1.title,
    ...(page1.requests !== undefined ? { requests: page1.requests } : {}),
    ...(page1.kind !== 'board' && page1.heldFrom ? { heldFrom: page1.heldFrom } : {}),
    // A rhythm that budgets calls paces the rest of the day by what this one spent.
    ...(deps.rhythm?.perRequest
      ? { calls: { day: koreaDate(at), count: page1.requests ?? 1 } }
      : {}),
    ...(newItems ? { newItemsAt: at } : {}),
    ...(slowUntil ? { slow: { notBefore: slowUntil } } : {}),
  });
  if (slowUntil) {
    deps.logger.warn(
      { source: source.id, tookMs: at.getTime() - started.getTime(), until: slowUntil },
      'source answered slowly; read less often until it is quick again',
    );
  }
  return { outcome, page: page1, foundNew: newItems };
}

/**
 * For a read slower than {@link PollDeps.slowAfterMs}: when the source may be read again,
 * backing off over a run of slow reads exactly as over a run of failures (see
 * {@link backoffUntil}); `null` for a read in time.
 */
function slowReadBackoff(deps: PollDeps, state: SourceState, started: Date, at: Date): Date | null {
  if (deps.slowAfterMs === undefined) return null;
  if (at.getTime() - started.getTime() <= deps.slowAfterMs) return null;
  return new Date(backoffUntil(deps, state.slowSince ?? null, started));
}

/** Keeps the source's archive within its retention; a failure only postpones it to the next read. */
async function trimArchive(deps: PollDeps, retention: ArchiveRetention, at: Date): Promise<void> {
  try {
    const removed = await deps.archive.trim(deps.source.id, retention, at);
    if (removed > 0) {
      deps.logger.debug({ source: deps.source.id, removed }, 'archive trimmed to its retention');
    }
  } catch (error) {
    deps.logger.warn({ source: deps.source.id, err: error }, 'could not trim the archive');
  }
}

/**
 * When a failed source may be read again: after its `Retry-After` (capped at
 * {@link MAX_SOURCE_DEFER_MS}) or its back-off, whichever ends later; `undefined` when both
 * have ended already. The back-off lasts as long as the failures have (at least one poll
 * interval, at most {@link MAX_SOURCE_BACKOFF_MS}), so the reads of a failing source come
 * one, two, four, eight… intervals apart.
 */
function notBeforeAfter(
  deps: PollDeps,
  state: SourceState,
  error: unknown,
  started: Date,
  at: Date,
): Date | undefined {
  let until = backoffUntil(deps, state.failingSince, started);
  if (error instanceof SourceError && error.retryAfterMs !== undefined) {
    const cap = error.code === 'QUOTA_EXCEEDED' ? MAX_QUOTA_DEFER_MS : MAX_SOURCE_DEFER_MS;
    until = Math.max(until, at.getTime() + Math.min(error.retryAfterMs, cap));
  }
  return until > at.getTime() ? new Date(until) : undefined;
}

/**
 * The end of a back-off over a run (of failures, or of slow reads) that began at `since`: it
 * lasts as long as the run has (at least the poll interval in force, at most
 * {@link MAX_SOURCE_BACKOFF_MS}), so reads come one, two, four, eight… intervals apart.
 */
function backoffUntil(deps: PollDeps, since: Date | null, started: Date): number {
  const interval = deps.rhythm
    ? intervalAt(deps.rhythm, started)
    : (deps.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
  const runFor = since ? started.getTime() - since.getTime() : 0;
  const backoff = Math.min(Math.max(interval, runFor), MAX_SOURCE_BACKOFF_MS);
  // Half an interval early, so the poll scheduled where the back-off ends is not deferred
  // for a few milliseconds of scheduling jitter.
  return started.getTime() + backoff - interval / 2;
}

async function noticeOutage(deps: PollDeps, before: SourceState, error: string): Promise<void> {
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
    const label = before.title ?? deps.source.id;
    await deps.announceNotice(notice(deps, 'down', failingSince, error, label));
  }
}

/** Tells the followers, once per quiet spell, that a source that reads fine has had nothing new for `staleAfterMs`. */
async function noticeStale(deps: PollDeps, state: SourceState, now: Date, label: string) {
  const after = deps.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const since = state.lastNewAt;
  if (!deps.announceNotice || after <= 0 || !since || state.staleNoticedSince) return;
  if (now.getTime() - since.getTime() < after) return;
  if (await deps.states.claimStaleNotice(deps.source.id, since)) {
    deps.logger.warn(
      { source: deps.source.id, since },
      'source has had nothing new for long; telling the channels',
    );
    await deps.announceNotice(notice(deps, 'stale', since, null, label));
  }
}

function notice(
  deps: PollDeps,
  kind: SourceNotice['kind'],
  since: Date,
  error: string | null,
  label: string,
): SourceNotice {
  return {
    kind,
    sourceId: deps.source.id,
    sourceLabel: label,
    // Job data and chat: never the raw URL, which may carry an access key.
    sourceUrl: redactUrl(deps.source.url),
    since: since.toISOString(),
    error,
  };
}

function summary(outcome: Exclude<ReadOutcome, { status: 'not-modified' }>) {
  return outcome.status === 'initialized'
    ? { status: outcome.status, archived: outcome.archived, cursor: outcome.cursor }
    : {
        status: outcome.status,
        announced: outcome.announced.length,
        skipped: outcome.skipped.length,
        archivedOnly: outcome.archivedOnly,
        cursor: outcome.cursor,
      };
}
