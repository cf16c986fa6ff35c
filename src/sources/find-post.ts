import { SOURCE_KINDS } from './source-kinds.js';
import type { PostArchive } from '../ports/post-archive.js';
import type { Post } from '../model/post.js';
import type { NewsSource } from '../ports/news-source.js';

export interface FindPostDeps {
  source: NewsSource;
  archive: Pick<PostArchive, 'get' | 'save'>;
  /** Most list pages read for one lookup. */
  maxPages?: number;
}

/**
 * Finds a post by board number on the board itself, for lookups of posts older than the
 * archive. Numbers fall by one per row, so the page is computed from page 1's newest number
 * and page size, then corrected by what that page shows (deleted posts shift rows). A found
 * post is completed from its own page and archived. Returns `null` for a number not on the
 * board.
 */
export async function findPost(deps: FindPostDeps, boardNo: number): Promise<Post | null> {
  const archived = await deps.archive.get(deps.source.id, boardNo);
  if (archived) return archived;

  const first = await deps.source.readPage(1);
  if (first.status !== 'ok' || first.posts.length === 0) return null;
  const newest = Math.max(...first.posts.map((p) => p.boardNo));
  if (boardNo > newest) return null;

  const pageSize = first.posts.length;
  const visited = new Set<number>();
  // Where numbers follow publication the number's page can be worked out; else start at 1.
  let page = SOURCE_KINDS[first.kind].sequentialNumbers
    ? Math.floor((newest - boardNo) / pageSize) + 1
    : 1;
  for (let reads = 0; reads < (deps.maxPages ?? 6) && page >= 1 && !visited.has(page); reads++) {
    visited.add(page);
    const read = page === 1 ? first : await deps.source.readPage(page);
    if (read.status !== 'ok' || read.posts.length === 0) {
      page--;
      continue;
    }
    const row = read.posts.find((p) => p.boardNo === boardNo);
    if (row) {
      const post = await deps.source.complete(row);
      await deps.archive.save([post]);
      return post;
    }
    const numbers = read.posts.map((p) => p.boardNo);
    if (boardNo < Math.min(...numbers) && read.hasOlderPages) page++;
    else if (boardNo > Math.max(...numbers)) page--;
    else return null; // within this page's range but not on it: deleted
  }
  return null;
}
