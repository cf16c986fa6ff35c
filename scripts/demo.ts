/**
 * `npm run demo`: the whole pipeline, offline, in about a minute. Serves the bundled ESG
 * 정책뉴스 board from a local server, runs the real scheduler and workers on Redis with the
 * console notifier, publishes a few new posts and shows the alerts arriving.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { ConsoleNotifier } from '../adapters/console/console-notifier.js';
import { startApp } from '../src/app/app.js';
import { parseConfig } from '../src/config/config.js';
import { createLogger } from '../src/util/logger.js';
import { koreaDate } from '../src/model/post.js';
import { FakeBoard } from '../test/support/fake-board.js';
import { deleteKeys } from '../test/support/redis.js';

const NEW_POSTS: Array<[string, string]> = [
  ['2030 국가 온실가스 감축목표 이행점검 결과 발표', '환경부'],
  ['공급망 ESG 실사 대응 중소기업 지원 확대', '중소벤처기업부'],
  ['녹색채권 발행 가이드라인 개정', '금융위원회'],
];

const say = (text: string) => process.stdout.write(`\x1b[36m[demo]\x1b[0m ${text}\n`);

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `esgnews-demo-${randomUUID().slice(0, 6)}`;
const board = await new FakeBoard().start();
let publishedAt = Date.now();
const consoleNotifier = new ConsoleNotifier((text) => {
  const seconds = ((Date.now() - publishedAt) / 1000).toFixed(1);
  process.stdout.write(`${text}  (arrived ${seconds}s after it was published)\n`);
});
say(`bundled board served at ${board.url} (40 saved posts, newest 1652)`);

const app = await startApp({
  config: parseConfig({
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    FEED_URL: board.url,
    POLL_INTERVAL: '5s',
    HOST: '127.0.0.1',
    PORT: '0',
  }),
  logger: createLogger(process.env.LOG_LEVEL ?? 'warn'),
  notifiers: [consoleNotifier],
  fetchOptions: { retries: 0 },
});
say('pipeline started: polling every 5s; first poll archives what is there and alerts nobody');

try {
  await sleep(8_000);
  for (const [title, ministry] of NEW_POSTS) {
    const post = board.publish(title, ministry, koreaDate(new Date()));
    publishedAt = Date.now();
    say(`published #${post.boardNo} on the board: ${title}`);
    await sleep(14_000);
  }
  say('done: every new post reached the console channel once, oldest first');
} finally {
  await app.close();
  await board.close();
  const redis = new Redis(redisUrl);
  await deleteKeys(redis, `${prefix}:*`);
  redis.disconnect();
}
