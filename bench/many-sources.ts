/**
 * Benchmark 6: 100 sources with nothing new, as a worker reads them every minute. The built
 * bot (role `all`, no chat platform) against 100 local feeds that answer conditional GETs,
 * on a redis-server of its own so its command counts are the bot's alone. Reports requests
 * per poll, Redis commands per poll, and the worker's CPU while idle.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { startHttpServer } from '../test/support/http-server.js';
import { freePort, PrivateRedis } from '../test/support/private-redis.js';
import { startBuiltBot } from './bot-process.js';
import { THIS_BUILD, type Build } from './build.js';
import { cpuSeconds } from './process-stats.js';
import { listRuns, verdict } from './report-format.js';
import { median, round } from './stats.js';

export const MANY = {
  sources: 100,
  pollInterval: '1m',
  windowSeconds: Number(process.env.BENCH_IDLE_SECONDS ?? 180),
};

/** What the section checks: conditional requests per poll. */
export const MANY_AIMS = { requestsPerPoll: 1 } as const;

export interface ManySourcesRun {
  /** Poll jobs run in the idle window, as the bot's own `esgnews_polls_total` counts them. */
  polls: number;
  /** Requests the feeds received in the window, per poll job. */
  requestsPerPoll: number;
  /** Bodies sent by the feeds during the idle window (all 304s: 0). */
  bodyBytes: number;
  redisCommandsPerPoll: number;
  /** The commands behind that figure, per poll, most frequent first. */
  commandsPerPoll: Record<string, number>;
  /** The worker's CPU time over the idle window, as a share of one core. */
  idleCpuPercent: number;
}

export async function runManySources(build: Build = THIS_BUILD): Promise<ManySourcesRun> {
  const redis = await PrivateRedis.start();
  const probe = new Redis(redis.url);
  let requests = 0;
  let bodyBytes = 0;
  const feeds = await startHttpServer((req, res) => {
    requests++;
    const n = /\/feed-(\d+)/.exec(req.url ?? '')?.[1] ?? '0';
    const xml = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>피드 ${n}</title><item><title>[환경부] 피드 ${n}의 글</title><link>https://www.korea.kr/briefing/pressReleaseView.do?newsId=${1000 + Number(n)}</link><pubDate>Mon, 27 Nov 2023 09:00:00 GMT</pubDate></item></channel></rss>`;
    const etag = `"${createHash('sha1').update(xml).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
    bodyBytes += Buffer.byteLength(xml);
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(xml);
  });
  const sources = Array.from(
    { length: MANY.sources },
    (_, i) => `feed-${i + 1}=${feeds.url}/feed-${i + 1}`,
  ).join(' ');
  const port = await freePort();
  const bot = await startBuiltBot(
    'all',
    {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'bench-many',
      SOURCES: sources,
      POLL_INTERVAL: MANY.pollInterval,
      HOST: '127.0.0.1',
      PORT: String(port),
    },
    build,
  );
  try {
    // The first round reads every feed in full and archives it; the idle window starts after.
    const firstRound = Date.now();
    while (requests < MANY.sources && Date.now() - firstRound < 60_000) await sleep(200);
    await sleep(5_000);
    await probe.config('RESETSTAT');
    const [startRequests, startBytes] = [requests, bodyBytes];
    const startPolls = await pollsSoFar(port);
    const startCpu = cpuSeconds(bot.child.pid!);
    await sleep(MANY.windowSeconds * 1000);
    const cpu = cpuSeconds(bot.child.pid!) - startCpu;
    const stats = await probe.info('commandstats');
    // Our own INFO and CONFIG calls are not the bot's.
    const byCommand = [...stats.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)]
      .filter(([, name]) => name !== 'info' && name !== 'config')
      .map(([, name, calls]) => [name!, Number(calls)] as const)
      .sort((a, b) => b[1] - a[1]);
    const commands = byCommand.reduce((sum, [, calls]) => sum + calls, 0);
    // Counted apart from the requests, so "one request per poll" is measured, not assumed.
    const pollCount = (await pollsSoFar(port)) - startPolls;
    return {
      polls: pollCount,
      requestsPerPoll: (requests - startRequests) / Math.max(1, pollCount),
      bodyBytes: bodyBytes - startBytes,
      redisCommandsPerPoll: commands / Math.max(1, pollCount),
      commandsPerPoll: Object.fromEntries(
        byCommand.slice(0, 10).map(([name, calls]) => [name, calls / Math.max(1, pollCount)]),
      ),
      idleCpuPercent: (cpu / MANY.windowSeconds) * 100,
    };
  } finally {
    await bot.stop();
    probe.disconnect();
    await feeds.close();
    await redis.stop();
  }
}

/** Poll jobs the bot has run, every source and outcome, from its own `GET /metrics`. */
async function pollsSoFar(port: number): Promise<number> {
  const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let polls = 0;
  for (const [, value] of body.matchAll(/^esgnews_polls_total\{[^}]*\} (\d+)/gm)) {
    polls += Number(value);
  }
  return polls;
}

/** The benchmark's section of BENCHMARKS.md, from several runs of {@link runManySources}. */
export function renderManySources(runs: ManySourcesRun[]): string {
  const aim = MANY_AIMS.requestsPerPoll;
  return `## 6. ${MANY.sources} sources with nothing new

The built bot (role \`all\`, no chat platform) following ${MANY.sources} local feeds that answer conditional
GETs, \`POLL_INTERVAL=${MANY.pollInterval}\`, on a redis-server of its own; measured over ${MANY.windowSeconds} s after the
first round had read every feed.

| per poll | median | runs |
| --- | --- | --- |
| requests to the source | **${round(median(runs.map((x) => x.requestsPerPoll)), 2)}** | ${listRuns(
    runs.map((x) => x.requestsPerPoll),
    2,
  )} |
| body bytes (all 304) | ${median(runs.map((x) => x.bodyBytes))} | ${listRuns(
    runs.map((x) => x.bodyBytes),
    0,
  )} |
| Redis commands | **${round(median(runs.map((x) => x.redisCommandsPerPoll)), 0)}** | ${listRuns(
    runs.map((x) => x.redisCommandsPerPoll),
    0,
  )} |

| worker CPU while idle | median | runs |
| --- | --- | --- |
| share of one core | **${round(median(runs.map((x) => x.idleCpuPercent)), 1)} %** | ${listRuns(
    runs.map((x) => x.idleCpuPercent),
    1,
  )} |

- Aim at most ${aim} conditional request per poll: ${verdict(Math.max(...runs.map((x) => x.requestsPerPoll)) <= aim)}.
- Redis commands per poll, as Redis counts them (commands inside scripts included), first run:
  ${Object.entries(runs[0]!.commandsPerPoll)
    .map(([name, n]) => `\`${name}\` ${round(n, 1)}`)
    .join(', ')}. They hold BullMQ's work (the job scheduler adding the next poll,
  taking and finishing the job, its events) and the poll's own (a lock, the source's state read
  and written, the registry read), and the process's background work (workers' blocking reads,
  stalled-job checks, the sweep), divided over the polls of the window.
`;
}

if (process.argv[1]?.endsWith('many-sources.ts')) {
  console.log(JSON.stringify(await runManySources()));
  process.exit(0);
}
