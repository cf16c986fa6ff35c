import type { PollDeps } from './poll-types.js';
import type { Post } from '../../model/post.js';

/** Whitespace runs count as one space: re-indented markup is not a correction. */
const normalized = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Whether the source now says something else of an archived post: another title, or another
 * ministry where both name one. An empty title is a broken row, never a correction.
 */
export function isCorrection(
  archived: Pick<Post, 'title' | 'ministry'>,
  shown: Pick<Post, 'title' | 'ministry'>,
): boolean {
  if (!normalized(shown.title)) return false;
  if (normalized(shown.title) !== normalized(archived.title)) return true;
  return (
    shown.ministry !== null &&
    archived.ministry !== null &&
    normalized(shown.ministry) !== normalized(archived.ministry)
  );
}

/**
 * Compares posts a read shows again with the archive and keeps what the source corrected:
 * the archive (and so lookups) gets the new title and ministry, and the posts already
 * announced are handed to `announceCorrections`, whose alerts are then edited. `refresh`
 * reads what only the post's own page says (a board's ministry and lead); a page that fails
 * leaves those as archived: a correction is never worth failing a poll for. Returns the
 * corrected posts.
 */
export async function applyCorrections(
  deps: Pick<PollDeps, 'archive' | 'announceCorrections' | 'logger' | 'source' | 'now'>,
  shown: readonly Post[],
  refresh?: (post: Post) => Promise<Post>,
): Promise<Post[]> {
  if (shown.length === 0) return [];
  const archived = await Promise.all(
    shown.map((post) => deps.archive.get(post.sourceId, post.boardNo)),
  );
  const corrected: Post[] = [];
  for (const [i, post] of shown.entries()) {
    const before = archived[i];
    if (!before || !isCorrection(before, post)) continue;
    let fresh = post;
    if (refresh) {
      try {
        fresh = await refresh(post);
      } catch (error) {
        deps.logger.warn(
          { source: deps.source.id, boardNo: post.boardNo, err: error },
          'could not read the corrected post page; its ministry and lead stay as archived',
        );
      }
    }
    const after: Post = {
      ...before,
      correctedAt: (deps.now ?? (() => new Date()))().getTime(),
      title: fresh.title,
      ministry: fresh.ministry ?? before.ministry,
      originalUrl: fresh.originalUrl ?? before.originalUrl,
      ...(fresh.summary !== undefined ? { summary: fresh.summary } : {}),
    };
    if (isCorrection(before, after)) corrected.push(after);
  }
  if (corrected.length === 0) return [];
  await deps.archive.save(corrected);
  deps.logger.info(
    { source: deps.source.id, boardNos: corrected.map((post) => post.boardNo) },
    'the source corrected posts already archived',
  );
  // Posts archived without an alert (a first read, too old) have nothing to edit.
  const announced = corrected.filter((post) => post.announcedAt !== undefined);
  if (announced.length > 0) await deps.announceCorrections?.(announced);
  return corrected;
}
