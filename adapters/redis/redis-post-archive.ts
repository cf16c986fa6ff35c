import type { RedisClient } from './redis-connection.js';
import {
  RELEASE_INDEX_RETENTION_MS,
  type ArchiveRetention,
  type PostArchive,
} from '../../src/ports/post-archive.js';
import { releaseIdOf } from '../../src/model/release-id.js';
import { carriersOf, releaseBucket, SAVE_CARRIER } from './release-index-scripts.js';
import { searchableText } from '../../src/model/searchable-text.js';
import type { Post } from '../../src/model/post.js';
import type { RedisKeys } from './redis-keys.js';

/**
 * Walks board numbers newest first and returns those whose text contains every needle.
 * Runs inside Redis so a search over thousands of posts is one round trip. `string.find`
 * with `plain = true` compares bytes, which is exact substring matching for UTF-8.
 */
const SEARCH_SCRIPT = `
local limit, scan = tonumber(ARGV[1]), tonumber(ARGV[2])
local found = {}
local start = 0
while #found < limit and start < scan do
  local numbers = redis.call('ZREVRANGE', KEYS[1], start, math.min(start + 499, scan - 1))
  if #numbers == 0 then break end
  local texts = redis.call('HMGET', KEYS[2], unpack(numbers))
  for i, number in ipairs(numbers) do
    local text = texts[i]
    if text then
      local matches = true
      for j = 3, #ARGV do
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

/**
 * KEYS: posts, numbers, search text, archive times. ARGV: posts kept, archived-before (ms),
 * most removed per reason in one call. Removes the lowest numbers beyond the count and the
 * posts archived before the cutoff; returns how many went.
 */
const TRIM_SCRIPT = `
local keep, cutoff, batch = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
local victims = {}
local excess = redis.call('ZCARD', KEYS[2]) - keep
if excess > 0 then victims = redis.call('ZRANGE', KEYS[2], 0, math.min(excess, batch) - 1) end
local old = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', '(' .. cutoff, 'LIMIT', 0, batch)
-- A post both beyond the count and too old goes once, and is counted once.
local chosen = {}
for _, number in ipairs(victims) do chosen[number] = true end
for _, number in ipairs(old) do
  if not chosen[number] then
    chosen[number] = true
    victims[#victims + 1] = number
  end
end
if #victims == 0 then return 0 end
redis.call('HDEL', KEYS[1], unpack(victims))
redis.call('HDEL', KEYS[3], unpack(victims))
redis.call('ZREM', KEYS[2], unpack(victims))
redis.call('ZREM', KEYS[4], unpack(victims))
return #victims
`;

/** Posts removed per reason by one script call: a backlog goes in several short scripts. */
const TRIM_BATCH = 1_000;

type SearchCommand = (
  numbersKey: string,
  textKey: string,
  limit: number,
  scan: number,
  ...needles: string[]
) => Promise<string[]>;
type TrimCommand = (...args: Array<string | number>) => Promise<number>;

/** What search looks in for one post: its title and ministry, in `searchableText` form. */
export function archivedSearchText(post: Pick<Post, 'title' | 'ministry'>): string {
  return searchableText(`${post.title}\n${post.ministry ?? ''}`);
}

/**
 * The post archive in Redis: a hash of JSON, a sorted set of numbers, a hash of search text,
 * and a sorted set of when each post was first archived (its age).
 */
export class RedisPostArchive implements PostArchive {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    if (!('esgSearchPosts' in redis)) {
      redis.defineCommand('esgSearchPosts', { numberOfKeys: 2, lua: SEARCH_SCRIPT });
      redis.defineCommand('esgTrimPosts', { numberOfKeys: 4, lua: TRIM_SCRIPT });
    }
  }

  async save(posts: readonly Post[], at: Date = new Date()): Promise<void> {
    if (posts.length === 0) return;
    const tx = this.redis.multi();
    for (const post of posts) {
      const no = String(post.boardNo);
      // The source is the key's: not repeated in every post (and a renamed source stays right).
      const { sourceId: _sourceId, ...stored } = post;
      tx.hset(this.keys.posts(post.sourceId), no, JSON.stringify(stored));
      tx.zadd(this.keys.postNumbers(post.sourceId), post.boardNo, no);
      tx.hset(this.keys.postText(post.sourceId), no, archivedSearchText(post));
      tx.zadd(this.keys.postTimes(post.sourceId), 'NX', at.getTime(), no);
      const releaseId = releaseIdOf(post);
      if (releaseId !== null) {
        const bucket = this.keys.releaseCarriers(releaseBucket(releaseId));
        tx.eval(
          SAVE_CARRIER,
          1,
          bucket,
          releaseId,
          post.sourceId,
          no,
          at.getTime(),
          RELEASE_INDEX_RETENTION_MS,
        );
      }
    }
    await tx.exec();
  }

  async carriers(releaseId: string, exceptSourceId?: string): Promise<Post[]> {
    const bucket = this.keys.releaseCarriers(releaseBucket(releaseId));
    const value = await this.redis.hget(bucket, releaseId);
    const carriers = carriersOf(value, Date.now(), RELEASE_INDEX_RETENTION_MS);
    const others = carriers.filter(([sourceId]) => sourceId !== exceptSourceId);
    const posts = await Promise.all(others.map(([sourceId, no]) => this.get(sourceId, no)));
    // A carrier trimmed from its archive, or re-saved under another release, is none.
    return posts.filter((post): post is Post => post !== null && releaseIdOf(post) === releaseId);
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

  count(sourceId: string): Promise<number> {
    return this.redis.zcard(this.keys.postNumbers(sourceId));
  }

  async search(
    sourceId: string,
    words: readonly string[],
    limit: number,
    scan = Number.MAX_SAFE_INTEGER,
  ): Promise<Post[]> {
    const needles = words.map(searchableText).filter((w) => w.length > 0);
    if (needles.length === 0 || limit <= 0 || scan <= 0) return [];
    const search = (this.redis as unknown as { esgSearchPosts: SearchCommand }).esgSearchPosts;
    const numbers = await search.call(
      this.redis,
      this.keys.postNumbers(sourceId),
      this.keys.postText(sourceId),
      limit,
      scan,
      ...needles,
    );
    return this.load(sourceId, numbers);
  }

  async trim(sourceId: string, retention: ArchiveRetention, now: Date): Promise<number> {
    const trim = (this.redis as unknown as { esgTrimPosts: TrimCommand }).esgTrimPosts;
    let total = 0;
    // Batch after batch, each a short script: one read may have archived many thousands.
    for (;;) {
      const removed = await trim.call(
        this.redis,
        this.keys.posts(sourceId),
        this.keys.postNumbers(sourceId),
        this.keys.postText(sourceId),
        this.keys.postTimes(sourceId),
        retention.maxPosts,
        now.getTime() - retention.maxAgeMs,
        TRIM_BATCH,
      );
      total += removed;
      if (removed < TRIM_BATCH) return total;
    }
  }

  private async load(sourceId: string, numbers: string[]): Promise<Post[]> {
    if (numbers.length === 0) return [];
    const values = await this.redis.hmget(this.keys.posts(sourceId), ...numbers);
    return values
      .filter((v): v is string => v !== null)
      .map((v) => ({ ...(JSON.parse(v) as Post), sourceId }));
  }
}
