import type { SourceState } from '../../ports/source-state-store.js';
import { settleWithLimit } from '../../util/concurrency.js';
import { applyCorrections } from './find-corrections.js';
import type { PollDeps, ReadOutcome } from './poll-types.js';
import type { Post } from '../../model/post.js';
import type { BoardPage, PageRead } from '../../ports/news-source.js';

/**
 * A board's poll once page 1 is read: a board post is its number, and numbers rise by one.
 * Finds the numbers above the cursor (reading older pages when the lowest new number does not
 * follow the cursor), completes each from its own page, archives it, announces it and only
 * then moves the cursor past it. A failure stops the poll where it is: what was announced
 * stays announced, the rest is found again next time. The first read archives silently.
 */
export async function pollBoard(
  deps: PollDeps,
  state: SourceState,
  page1: BoardPage,
): Promise<ReadOutcome> {
  const { source, archive, states, logger } = deps;

  if (state.cursor === null) {
    const posts = await completeAll(deps, page1.posts);
    await archive.save(posts);
    const cursor = highest(posts);
    if (cursor !== null) await states.advanceCursor(source.id, cursor);
    return { status: 'initialized', archived: posts.length, cursor };
  }

  const cursor = state.cursor;
  // Page 1 changed: what it shows of posts already archived may be a correction.
  await applyCorrections(
    deps,
    page1.posts.filter((post) => post.boardNo <= cursor),
    (post) => source.complete(post),
  );
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
  const skipped = missingNumbers(cursor, fresh);
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

/** Warns about the rows or items a page left out, if any. */
export function warnSkipped(
  deps: Pick<PollDeps, 'source' | 'logger'>,
  page: number,
  read: Extract<PageRead, { status: 'ok' }>,
): void {
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

/** The highest number among `posts`, `null` for none. */
export function highest(posts: readonly Pick<Post, 'boardNo'>[]): number | null {
  // A loop, not Math.max(...): a feed may hold more items than a call takes arguments.
  let top: number | null = null;
  for (const { boardNo } of posts) if (top === null || boardNo > top) top = boardNo;
  return top;
}
