import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisItemNumbers } from '../../adapters/redis/redis-item-numbers.js';
import { RedisKeys } from '../../adapters/redis/redis-keys.js';
import { RedisPostArchive } from '../../adapters/redis/redis-post-archive.js';
import { RedisSourceStateStore } from '../../adapters/redis/redis-source-state.js';
import { ParseSandbox } from '../../adapters/sources/parse-sandbox.js';
import { UrlSource, type SourceReadOptions } from '../../adapters/sources/url-source.js';
import { pollSource } from '../../src/pipeline/poll/poll-source.js';
import { type PollDeps } from '../../src/pipeline/poll/poll-types.js';
import { FeedServer } from '../support/feed-server.js';
import { connectTestRedis, type TestRedis } from '../support/redis.js';

/** A feed that churns (new ids on every read) costs Redis the same after 8 reads as after 2. */

/** One parse worker for the file, as a deployment has one per origin. */
const parser = new ParseSandbox();
afterAll(() => parser.close());

const fetchOptions: SourceReadOptions = {
  parser,
  // Every item of every read reaches the archive: more than one trim batch per read.
  maxItems: 10_000,
  timeoutMs: 5_000,
  maxBytes: 5 * 1024 * 1024,
  retries: 0,
  retryDelayMs: 0,
  userAgent: 'esg-news-bot/test',
};

let t: TestRedis;
let keys: RedisKeys;
let feed: FeedServer;
let deps: PollDeps;
let read = 0;

beforeEach(async () => {
  t = await connectTestRedis();
  keys = new RedisKeys(t.prefix);
  feed = await new FeedServer().start();
  deps = {
    source: new UrlSource(feed.url, fetchOptions, 'churn'),
    archive: new RedisPostArchive(t.redis, keys),
    states: new RedisSourceStateStore(t.redis, keys),
    itemNumbers: new RedisItemNumbers(t.redis, keys),
    announce: () => Promise.resolve(),
    logger: pino({ level: 'silent' }),
    retention: { maxPosts: 300, maxAgeMs: 90 * 86_400_000 },
    maxSeenItems: 300,
    maxAlertsPerPoll: 10,
  };
});
afterEach(async () => {
  await feed.close();
  await t.cleanup();
});

/** 1,500 items, every one with a guid never seen before: more than one trim batch. */
function churn(): void {
  read++;
  feed.items = Array.from({ length: 1_500 }, (_, i) => ({
    title: `바뀌는 글 ${read}-${i}`,
    guid: `churn-${read}-${i}`,
    date: new Date(Date.now() - i * 60_000),
  }));
}

async function footprint() {
  return {
    posts: await t.redis.hlen(keys.posts('churn')),
    numbers: await t.redis.zcard(keys.postNumbers('churn')),
    texts: await t.redis.hlen(keys.postText('churn')),
    times: await t.redis.zcard(keys.postTimes('churn')),
    seen: await t.redis.zcard(keys.itemsSeen('churn')),
    identities: await t.redis.hlen(keys.itemNumbers('churn')),
  };
}

describe('a churning feed', () => {
  it('keeps at most the retention of posts and seen items, however many reads', async () => {
    for (let i = 0; i < 2; i++) {
      churn();
      await pollSource(deps);
    }
    const early = await footprint();
    for (let i = 0; i < 6; i++) {
      churn();
      await pollSource(deps);
    }
    const late = await footprint();
    expect(late).toEqual({
      posts: 300,
      numbers: 300,
      texts: 300,
      times: 300,
      // What the feed shows now is never forgotten as seen (it would come back as new).
      seen: 1_500,
      // Each identity holds its number both ways.
      identities: 3_000,
    });
    expect(late).toEqual(early);
    // The newest items are the ones kept, and lookups still work.
    const [newest] = await deps.archive.newest('churn', 1);
    expect(newest?.title).toBe(`바뀌는 글 ${read}-0`);
  });
});
