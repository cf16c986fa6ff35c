/**
 * Benchmark 4: what one poll costs the board: requests and body bytes when nothing changed,
 * and per new post. Runs the real source and poll against the local board.
 */
import { pino } from 'pino';
import { RedisItemNumbers } from '../adapters/redis/redis-item-numbers.js';
import { RedisKeys } from '../adapters/redis/redis-keys.js';
import { RedisPostArchive } from '../adapters/redis/redis-post-archive.js';
import { RedisSourceStateStore } from '../adapters/redis/redis-source-state.js';
import { ParseSandbox } from '../adapters/sources/parse-sandbox.js';
import { UrlSource } from '../adapters/sources/url-source.js';
import { USER_AGENT } from '../src/util/about.js';
import { pollSource } from '../src/pipeline/poll/poll-source.js';
import { FakeBoard } from '../test/support/fake-board.js';
import { connectTestRedis } from '../test/support/redis.js';
import { verdict } from './report-format.js';

/** New posts published at once for the per-post figure of a busier poll. */
const BURST = 5;

export interface PollingCost {
  unchanged: { requests: number; bytes: number };
  onePost: { requests: number; bytes: number };
  perPostOfFive: { requests: number; bytes: number };
}

export async function runPolling(): Promise<PollingCost> {
  const board = await new FakeBoard().start();
  const t = await connectTestRedis();
  const keys = new RedisKeys(t.prefix);
  const parser = new ParseSandbox();
  const source = new UrlSource(board.url, {
    timeoutMs: 5_000,
    maxBytes: 5 * 1024 * 1024,
    retries: 0,
    retryDelayMs: 0,
    userAgent: USER_AGENT,
    parser,
  });
  const deps = {
    source,
    archive: new RedisPostArchive(t.redis, keys),
    states: new RedisSourceStateStore(t.redis, keys),
    itemNumbers: new RedisItemNumbers(t.redis, keys),
    announce: () => Promise.resolve(),
    logger: pino({ level: 'silent' }),
  };
  const measure = async () => {
    const [requests, bytes] = [board.requests.length, board.bytesSent];
    await pollSource(deps);
    return { requests: board.requests.length - requests, bytes: board.bytesSent - bytes };
  };
  try {
    await measure(); // the first read
    const unchanged = await measure();
    board.publish('새 글 하나');
    const onePost = await measure();
    for (let i = 0; i < BURST; i++) board.publish(`새 글 ${i}`);
    const five = await measure();
    return {
      unchanged,
      onePost,
      perPostOfFive: { requests: five.requests / BURST, bytes: Math.round(five.bytes / BURST) },
    };
  } finally {
    await parser.close();
    await t.cleanup();
    await board.close();
  }
}

/** The benchmark's section of BENCHMARKS.md: the first run, and whether every run matched it. */
export function renderPolling(runs: PollingCost[]): string {
  const poll = runs[0]!;
  const same = runs.every((p) => JSON.stringify(p) === JSON.stringify(poll));
  return `## 4. Polling cost

| poll | requests | body bytes |
| --- | --- | --- |
| nothing changed | **${poll.unchanged.requests}** | ${poll.unchanged.bytes} |
| one new post | ${poll.onePost.requests} | ${poll.onePost.bytes} |
| ${BURST} new posts, per post | ${poll.perPostOfFive.requests} | ${poll.perPostOfFive.bytes} |

- Aim one conditional request when nothing changed: ${verdict(poll.unchanged.requests === 1 && poll.unchanged.bytes === 0)} (a 304 to \`If-None-Match\`).
- A new post costs the list page once per poll and its own page once (for 담당부서 and the
  original link). The same in every run: ${same ? 'yes' : 'no'}.
`;
}
