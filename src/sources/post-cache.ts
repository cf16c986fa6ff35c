import type { PostArchive } from '../ports/post-archive.js';
import type { Post } from '../model/post.js';

/**
 * Remembers recently read posts for a short while: a fan-out reads the same post once per
 * channel, thousands of times in a few seconds. An edit shows after at most `ttlMs`.
 */
export function cachedPostReader(
  archive: Pick<PostArchive, 'get'>,
  { ttlMs = 60_000, maxEntries = 200 } = {},
): Pick<PostArchive, 'get'> {
  const cache = new Map<string, { post: Post; until: number }>();
  return {
    async get(sourceId, boardNo) {
      const key = `${sourceId}\n${boardNo}`;
      const hit = cache.get(key);
      if (hit && hit.until > Date.now()) return hit.post;
      const post = await archive.get(sourceId, boardNo);
      if (post) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
        cache.set(key, { post, until: Date.now() + ttlMs });
      }
      return post;
    },
  };
}
