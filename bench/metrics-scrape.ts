/**
 * Benchmark 8: the cost of one `GET /metrics` scrape with 5,000 subscriptions. The built bot
 * (role `web`) on a redis-server of its own, so the Redis commands counted are the bot's;
 * sequential scrapes after a warm-up, as Prometheus sends them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RedisKeys } from '../adapters/redis/redis-keys.js';
import { RedisSubscriptionStore } from '../adapters/redis/redis-subscription-store.js';
import { startHttpServer } from '../test/support/http-server.js';
import { PrivateRedis } from '../test/support/private-redis.js';
import { startBuiltBot } from './bot-process.js';
import { THIS_BUILD, type Build } from './build.js';
import { cpuSeconds, freePort } from './process-stats.js';
import { listRuns, thousands } from './report-format.js';
import { median, percentile, round } from './stats.js';

export const SCRAPE = { subscriptions: 5_000, scrapes: 200, warmUp: 20 };

export interface ScrapeRun {
  p50Ms: number;
  p99Ms: number;
  /** The bot's CPU time per scrape. */
  cpuMsPerScrape: number;
  /** Redis commands per scrape, beyond what the idle process sends anyway. */
  redisCommandsPerScrape: number;
  bodyBytes: number;
}

export async function runMetricsScrape(build: Build = THIS_BUILD): Promise<ScrapeRun> {
  const redis = await PrivateRedis.start();
  const probe = new Redis(redis.url);
  const prefix = 'bench-metrics';
  const board = await startHttpServer((_req, res) => res.writeHead(304).end());
  const subscriptions = new RedisSubscriptionStore(probe, new RedisKeys(prefix));
  for (let i = 0; i < SCRAPE.subscriptions; i += 500) {
    await Promise.all(
      Array.from({ length: 500 }, (_, j) => {
        const n = i + j;
        const platform = n % 2 ? 'slack' : 'discord';
        return subscriptions.subscribe('esg', {
          platform,
          workspaceId: platform === 'slack' ? 'T1' : 'G1',
          channelId: `C${100_000 + n}`,
          keywords: n % 3 ? [] : ['탄소'],
          createdAt: new Date().toISOString(),
        });
      }),
    );
  }
  const port = await freePort();
  const bot = await startBuiltBot(
    'web',
    {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      FEED_URL: `${board.url}/post`,
      HOST: '127.0.0.1',
      PORT: String(port),
    },
    build,
  );
  const url = `http://127.0.0.1:${port}/metrics`;
  try {
    let bodyBytes = 0;
    for (let i = 0; i < SCRAPE.warmUp; i++) bodyBytes = (await (await fetch(url)).text()).length;

    // What the process sends to Redis with no scrape, over as long as the scrapes take.
    const idleStart = performance.now();
    await probe.config('RESETSTAT');
    await sleep(5_000);
    const idleCommands = await countCommands(probe);
    const idleMs = performance.now() - idleStart;

    await probe.config('RESETSTAT');
    const cpuStart = cpuSeconds(bot.child.pid!);
    const started = performance.now();
    const latencies: number[] = [];
    for (let i = 0; i < SCRAPE.scrapes; i++) {
      const t = performance.now();
      const res = await fetch(url);
      bodyBytes = Buffer.byteLength(await res.text());
      if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
      latencies.push(performance.now() - t);
    }
    const elapsed = performance.now() - started;
    const cpu = cpuSeconds(bot.child.pid!) - cpuStart;
    const commands = (await countCommands(probe)) - (idleCommands * elapsed) / idleMs;
    return {
      p50Ms: median(latencies),
      p99Ms: percentile(latencies, 99),
      cpuMsPerScrape: (cpu * 1000) / SCRAPE.scrapes,
      redisCommandsPerScrape: Math.max(0, commands / SCRAPE.scrapes),
      bodyBytes,
    };
  } finally {
    await bot.stop();
    probe.disconnect();
    await board.close();
    await redis.stop();
  }
}

/** The benchmark's section of BENCHMARKS.md, from several runs of {@link runMetricsScrape}. */
export function renderMetricsScrape(runs: ScrapeRun[]): string {
  const row = (
    label: string,
    pick: (x: ScrapeRun) => number,
    digits: number,
    unit: string,
    bold = false,
  ) => {
    const value = `${round(median(runs.map(pick)), digits)}${unit}`;
    return `| ${label} | ${bold ? `**${value}**` : value} | ${listRuns(runs.map(pick), digits)} |`;
  };
  return `## 8. One \`/metrics\` scrape with ${thousands(SCRAPE.subscriptions)} subscriptions

The built bot (role \`web\`) on a redis-server of its own with ${thousands(SCRAPE.subscriptions)} subscriptions (half Slack, half
Discord); ${SCRAPE.scrapes} scrapes one after another after ${SCRAPE.warmUp} to warm up.

| per scrape | median | runs |
| --- | --- | --- |
${row('latency p50', (x) => x.p50Ms, 1, ' ms', true)}
${row('latency p99', (x) => x.p99Ms, 1, ' ms')}
${row('bot CPU', (x) => x.cpuMsPerScrape, 1, ' ms', true)}
${row('Redis commands', (x) => x.redisCommandsPerScrape, 0, '')}
| body | ${round(median(runs.map((x) => x.bodyBytes)) / 1024, 1)} KiB | |

- The shared gauges (subscriptions, posts owed, jobs per queue, pause state, unserved
  platforms) are read from Redis at scrape time; the counters are in the process's memory.
  Subscriptions per platform are one hash the follow scripts keep, whatever the number of
  channels. The backlog is read per channel that is behind: none here, at rest.
`;
}

/** Every command Redis ran since the last RESETSTAT, but the benchmark's own INFO and CONFIG. */
async function countCommands(redis: Redis): Promise<number> {
  const stats = await redis.info('commandstats');
  return [...stats.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)]
    .filter(([, name]) => name !== 'info' && name !== 'config')
    .reduce((sum, [, , calls]) => sum + Number(calls), 0);
}

if (process.argv[1]?.endsWith('metrics-scrape.ts')) {
  console.log(JSON.stringify(await runMetricsScrape()));
  process.exit(0);
}
