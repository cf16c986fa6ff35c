import type { RedisClient } from './redis-connection.js';
import { searchableText, type PostArchive } from '../../src/archive.js';
import type { Post } from '../../src/post.js';
import type { RedisKeys } from './redis-keys.js';

/**
 * Walks board numbers newest first and returns those whose text contains every needle.
 * Runs inside Redis so a search over thousands of posts is one round trip. `string.find`
 * with `plain = true` compares bytes, which is exact substring matching for UTF-8.
 */
const SEARCH_SCRIPT = `
local limit = tonumber(ARGV[1])
local found = {}
local start = 0
while #found < limit do
  local numbers = redis.call('ZREVRANGE', KEYS[1], start, start + 499)
  if #numbers == 0 then break end
  local texts = redis.call('HMGET', KEYS[2], unpack(numbers))
  for i, number in ipairs(numbers) do
    local text = texts[i]
    if text then
      local matches = true
      for j = 2, #ARGV do
        if not string.find(text, ARGV[j], 1, true) then matches = false break end
      end
      if matches then
        found[#found + 1] = number
        if #found >= limit then break end
      end
    end
  end
  start = start + 500
end
return found
`;

type SearchCommand = (
  numbersKey: string,
  textKey: string,
  limit: number,
  ...needles: string[]
) => Promise<string[]>;

/** What search looks in for one post: its title and ministry, in `searchableText` form. */
export function archivedSearchText(post: Pick<Post, 'title' | 'ministry'>): string {
  return searchableText(`${post.title}\n${post.ministry ?? ''}`);
}

/** The post archive in Redis: a hash of JSON, a sorted set of numbers, a hash of search text. */
export class RedisPostArchive implements PostArchive {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    if (!('esgSearchPosts' in redis)) {
      redis.defineCommand('esgSearchPosts', { numberOfKeys: 2, lua: SEARCH_SCRIPT });
    }
  }

  async save(posts: readonly Post[]): Promise<void> {
    if (posts.length === 0) return;
    const tx = this.redis.multi();
    for (const post of posts) {
      const no = String(post.boardNo);
      // The source is the key's: not repeated in every post (and a renamed source stays right).
      const { sourceId: _sourceId, ...stored } = post;
      tx.hset(this.keys.posts(post.sourceId), no, JSON.stringify(stored));
      tx.zadd(this.keys.postNumbers(post.sourceId), post.boardNo, no);
      tx.hset(this.keys.postText(post.sourceId), no, archivedSearchText(post));
    }
    await tx.exec();
  }

  async get(sourceId: string, boardNo: number): Promise<Post | null> {
    const json = await this.redis.hget(this.keys.posts(sourceId), String(boardNo));
    return json ? { ...(JSON.parse(json) as Post), sourceId } : null;
  }

  async newest(sourceId: string, count: number): Promise<Post[]> {
    if (count <= 0) return [];
    const numbers = await this.redis.zrevrange(this.keys.postNumbers(sourceId), 0, count - 1);
    return this.load(sourceId, numbers);
  }

  async search(sourceId: string, words: readonly string[], limit: number): Promise<Post[]> {
    const needles = words.map(searchableText).filter((w) => w.length > 0);
    if (needles.length === 0 || limit <= 0) return [];
    const search = (this.redis as unknown as { esgSearchPosts: SearchCommand }).esgSearchPosts;
    const numbers = await search.call(
      this.redis,
      this.keys.postNumbers(sourceId),
      this.keys.postText(sourceId),
      limit,
      ...needles,
    );
    return this.load(sourceId, numbers);
  }

  private async load(sourceId: string, numbers: string[]): Promise<Post[]> {
    if (numbers.length === 0) return [];
    const values = await this.redis.hmget(this.keys.posts(sourceId), ...numbers);
    return values
      .filter((v): v is string => v !== null)
      .map((v) => ({ ...(JSON.parse(v) as Post), sourceId }));
  }
}
