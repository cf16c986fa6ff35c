import type { Logger } from '../../src/util/logger.js';
import type { Post } from '../../src/model/post.js';
import { migrateOnce } from './migrate-once.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { archivedSearchText } from './redis-post-archive.js';
import { scanKeys } from './redis-scan.js';

/** Posts read and rewritten per round trip. */
const BATCH = 500;

/**
 * Rewrites every archived post's search text in today's `searchableText` form (NFKC, without
 * format characters), once per deployment (see `migrateOnce`). Older releases stored it NFC
 * and lower-cased only: without this, `/news 검색 esg` would miss an archived `ＥＳＧ` and a
 * zero-width space would hide a word from search until the post was read again. Rebuilt from
 * the archived posts themselves, so running it twice writes the same text.
 */
export async function migrateSearchText(
  redis: RedisClient,
  keys: RedisKeys,
  options: { logger: Logger },
): Promise<void> {
  await migrateOnce(redis, keys, 'search-text-nfkc', async () => {
    let rewritten = 0;
    const from = `${keys.prefix}:posts:`.length;
    for await (const postsKey of scanKeys(redis, keys.postsPattern())) {
      const textKey = keys.postText(postsKey.slice(from));
      let cursor = '0';
      do {
        const [next, flat] = await redis.hscan(postsKey, cursor, 'COUNT', BATCH);
        cursor = next;
        const texts: string[] = [];
        for (let i = 0; i + 1 < flat.length; i += 2) {
          const post = JSON.parse(flat[i + 1]!) as Pick<Post, 'title' | 'ministry'>;
          texts.push(flat[i]!, archivedSearchText(post));
        }
        if (texts.length > 0) await redis.hset(textKey, ...texts);
        rewritten += texts.length / 2;
      } while (cursor !== '0');
    }
    if (rewritten > 0) {
      options.logger.info({ posts: rewritten }, 'rewrote archived search text in NFKC form');
    }
  });
}
