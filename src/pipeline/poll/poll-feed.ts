import type { SourceState } from '../../ports/source-state-store.js';
import { oldestFirst } from '../../model/feed-order.js';
import { applyCorrections } from './find-corrections.js';
import type { PollDeps, ReadOutcome } from './poll-types.js';
import { highest } from './poll-board.js';
import type { Post } from '../../model/post.js';
import type { FeedItem, FeedPage } from '../../ports/news-source.js';

export { oldestFirst } from '../../model/feed-order.js';

/** Default of {@link PollDeps.maxAgeMs}: three days. */
export const DEFAULT_MAX_AGE_MS = 3 * 86_400_000;

/**
 * A feed's poll once its page is read: an item is its identity, and "new" means "not seen
 * before in this source", whatever its number, date or place in the feed. So late,
 * back-dated, reordered and re-inserted items are each announced once, when first seen, and
 * an old item that reappears never again. Items are numbered (see `ItemNumbers`) oldest
 * first, so numbers the bot gives rise with time. The first read archives silently (the first
 * after an upgrade announces what is above the old release's cursor); a new item
 * published over `maxAgeMs` ago, or beyond `maxAlertsPerPoll`, is archived without an alert.
 * Items are marked seen only after they are archived and announced: a failure in between
 * finds them again next time, and announcing is idempotent.
 */
export async function pollFeed(
  deps: PollDeps,
  state: SourceState,
  page: FeedPage,
  at: Date,
): Promise<ReadOutcome> {
  const { source, archive, states, itemNumbers, logger } = deps;
  const items = oldestFirst(uniqueByKey(page.items));
  const numbered = await itemNumbers.assign(
    source.id,
    items.map(({ key, ownNumber }) => ({ key, ownNumber })),
  );
  const entries = items.map((item, i) => {
    const { number, seen } = numbered.items[i]!;
    const post: Post = { ...item.post, boardNo: number, itemKey: item.key };
    return { post, seen, ownNumber: item.ownNumber, publishedAt: item.publishedAt };
  });
  const keys = items.map((item) => item.key);

  // A release before this one kept a cursor and no seen items: of what is there, only the
  // items numbered above its cursor are new to the readers (korea.kr's rising newsIds).
  const cursor = state.cursor;
  const upgrading = numbered.firstRead && cursor !== null;
  // A feed read before that showed nothing (a new feed added from chat, say) has had its
  // first read: the items it shows now are news, not its back catalogue.
  const readBefore = state.lastSuccessAt !== null;
  if (numbered.firstRead && !upgrading && !readBefore) {
    const posts = entries.map((e) => e.post);
    await archive.save(posts);
    await itemNumbers.markSeen(source.id, keys, at, deps.maxSeenItems);
    const top = highest(posts);
    if (top !== null) await states.advanceCursor(source.id, top);
    return { status: 'initialized', archived: posts.length, cursor: top };
  }
  // Items seen before, shown with another title or ministry, are corrections.
  if (!upgrading) {
    await applyCorrections(
      deps,
      entries.filter((e) => e.seen).map((e) => e.post),
    );
  }
  const isFresh = (e: (typeof entries)[number]) =>
    upgrading
      ? e.ownNumber !== null && e.post.boardNo === e.ownNumber && e.ownNumber > cursor
      : !e.seen;
  const fresh = entries.filter(isFresh);
  const known = upgrading ? entries.filter((e) => !isFresh(e)).map((e) => e.post) : [];
  if (fresh.length === 0 && !upgrading) {
    return { status: 'read', announced: [], skipped: [], archivedOnly: 0, cursor };
  }

  const maxAgeMs = deps.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const isTooOld = (e: (typeof fresh)[number]) =>
    e.publishedAt !== null && at.getTime() - e.publishedAt > maxAgeMs;
  const tooOld = fresh.filter(isTooOld);
  const recent = fresh.filter((e) => !isTooOld(e));
  const cap = deps.maxAlertsPerPoll ?? 100;
  const beyondCap = recent.length > cap ? recent.slice(0, recent.length - cap) : [];
  const toAnnounce = recent.slice(beyondCap.length).map((e) => e.post);
  const silent = [...tooOld, ...beyondCap].map((e) => e.post);

  await archive.save([...known, ...silent, ...toAnnounce]);
  if (tooOld.length > 0) {
    logger.info(
      {
        source: source.id,
        count: tooOld.length,
        numbers: tooOld.slice(0, 20).map((e) => e.post.boardNo),
      },
      'new feed items published too long ago for news; archived without alerting',
    );
  }
  if (beyondCap.length > 0) {
    logger.warn(
      { source: source.id, count: beyondCap.length },
      'too many new posts at once for news; archived the oldest without alerting',
    );
  }
  if (toAnnounce.length > 0) await deps.announce(toAnnounce);
  await itemNumbers.markSeen(source.id, keys, at, deps.maxSeenItems);
  let newCursor = cursor;
  const top = highest(fresh.map((e) => e.post));
  if (top !== null && (newCursor === null || top > newCursor)) {
    await states.advanceCursor(source.id, top);
    newCursor = top;
  }
  return {
    status: 'read',
    announced: toAnnounce.map((post) => post.boardNo),
    skipped: [],
    archivedOnly: silent.length,
    cursor: newCursor,
  };
}

/** Two items with one identity in a feed are one item: the first, in feed order. */
function uniqueByKey(items: readonly FeedItem[]): FeedItem[] {
  const keys = new Set<string>();
  return items.filter((item) => {
    if (keys.has(item.key)) return false;
    keys.add(item.key);
    return true;
  });
}
