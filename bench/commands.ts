/**
 * Benchmark 3: 200 concurrent `/news <number>` slash commands over HTTP to a built bot in the
 * web role, for posts in the archive. Each request is signed as Slack signs it; the latency
 * is from sending the request to reading the whole answer.
 */
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { RedisKeys } from '../adapters/redis/redis-keys.js';
import { RedisPostArchive } from '../adapters/redis/redis-post-archive.js';
import { sourceIdFor } from '../src/model/post.js';
import { FakeBoard } from '../test/support/fake-board.js';
import { FakeSlack, signedCommandRequest } from '../test/support/fake-slack.js';
import { deleteKeys, TEST_REDIS_URL } from '../test/support/redis.js';
import { startBuiltBot } from './bot-process.js';
import { THIS_BUILD, type Build } from './build.js';
import { listRuns, thousands, verdict } from './report-format.js';
import { median, percentile, round } from './stats.js';

const SECRET = 'bench-signing-secret';
export const CONCURRENT = 200;
/** Rounds of {@link CONCURRENT} requests sent before anything is measured. */
export const WARM_UP_ROUNDS = 6;

/** What the section checks: the p99 of {@link CONCURRENT} at once, for archived posts. */
export const COMMAND_AIMS = { p99Ms: 100 } as const;

export interface CommandRun {
  /** 200 requests sent at once. */
  p50: number;
  p99: number;
  max: number;
  errors: number;
  /**
   * The bot's CPU time over the round (the 200 at once, then one at a time), per command:
   * /proc counts it in 10 ms ticks, so the whole round is measured, not a part.
   */
  cpuMsPerCommand: number;
  /** The same requests one at a time: the bot's own time per command, without queueing. */
  sequentialP50: number;
  sequentialP99: number;
}

/** One bot process: its first round, cold, and the rounds measured after the warm-up. */
export interface CommandsResult {
  /** The first {@link CONCURRENT} sent at once after the bot started, before any warm-up. */
  cold: { p50: number; p99: number };
  rounds: CommandRun[];
}

export async function runCommands(rounds = 3, build: Build = THIS_BUILD): Promise<CommandsResult> {
  const board = await new FakeBoard().start();
  const slack = await new FakeSlack().start();
  const prefix = `bench-cmd-${Date.now()}`;
  const redis = new Redis(TEST_REDIS_URL);
  const archive = new RedisPostArchive(redis, new RedisKeys(prefix));
  const sourceId = sourceIdFor(board.url);
  await archive.save(
    board.entries.map((e) => ({
      sourceId,
      boardNo: e.boardNo,
      title: e.title,
      ministry: e.ministry,
      date: e.date,
      url: `${board.url}/${e.postId}`,
      originalUrl: null,
    })),
  );
  const bot = await startBuiltBot(
    'web',
    {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      FEED_URL: board.url,
      HOST: '127.0.0.1',
      PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
    },
    build,
  );
  const port = await botPort(redis, bot.child.pid!);
  const numbers = board.entries.map((e) => e.boardNo);
  // Signed up front: the timing is the bot's answer, not the benchmark's own HMACs.
  const requests = Array.from({ length: CONCURRENT }, (_, i) =>
    signedCommandRequest(SECRET, {
      team_id: 'T1',
      channel_id: 'C1',
      user_id: 'U1',
      command: '/news',
      text: String(numbers[i % numbers.length]),
      response_url: slack.responseUrl(String(i)),
    }),
  );
  // node:http with keep-alive: undici's fetch costs the client about as much CPU per request
  // as the bot spends answering, which on 2 cores would be measured as the bot's latency.
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENT });
  const once = (i: number) =>
    new Promise<{ ms: number; ok: boolean }>((resolve, reject) => {
      const { body, headers } = requests[i]!;
      const started = performance.now();
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/slack/events',
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let answer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (answer += chunk));
          res.on('end', () =>
            resolve({
              ms: performance.now() - started,
              ok: res.statusCode === 200 && answer.includes('"in_channel"'),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const allAtOnce = () => Promise.all(Array.from({ length: CONCURRENT }, (_, i) => once(i)));
  try {
    // Warm-up, as a bot that has been running is: connections opened and the hot paths
    // compiled by the JIT. Its first round is reported as the cold figure.
    const coldMs = (await allAtOnce()).map((r) => r.ms);
    for (let i = 1; i < WARM_UP_ROUNDS; i++) await allAtOnce();
    const runs: CommandRun[] = [];
    for (let round = 0; round < rounds; round++) {
      const cpuBefore = bot.cpuSeconds();
      const results = await allAtOnce();
      const ms = results.map((r) => r.ms);
      const sequential: number[] = [];
      for (let i = 0; i < CONCURRENT; i++) sequential.push((await once(i)).ms);
      const cpuMsPerCommand = ((bot.cpuSeconds() - cpuBefore) * 1000) / (2 * CONCURRENT);
      runs.push({
        p50: percentile(ms, 50),
        p99: percentile(ms, 99),
        max: Math.max(...ms),
        errors: results.filter((r) => !r.ok).length,
        cpuMsPerCommand,
        sequentialP50: percentile(sequential, 50),
        sequentialP99: percentile(sequential, 99),
      });
    }
    return { cold: { p50: percentile(coldMs, 50), p99: percentile(coldMs, 99) }, rounds: runs };
  } finally {
    agent.destroy();
    await bot.stop();
    await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
    await Promise.all([board.close(), slack.close()]);
  }
}

/** The port the bot listens on (it was told PORT=0): read from /proc, where Linux lists it. */
async function botPort(_redis: Redis, pid: number): Promise<number> {
  const { readFileSync, readdirSync, readlinkSync } = await import('node:fs');
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`)
      .map((fd) => {
        try {
          return /socket:\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        } catch {
          return undefined;
        }
      })
      .filter(Boolean),
  );
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols[3] === '0A' && inodes.has(cols[9])) return parseInt(cols[1]!.split(':')[1]!, 16);
  }
  throw new Error('the bot is not listening');
}

/** The benchmark's section of BENCHMARKS.md, from one bot process's rounds. */
export function renderCommands(result: CommandsResult): string {
  const runs = result.rounds;
  const p99 = median(runs.map((x) => x.p99));
  const seq50 = median(runs.map((x) => x.sequentialP50));
  const cpu = median(runs.map((x) => x.cpuMsPerCommand));
  const errors = runs.reduce((n, x) => n + x.errors, 0);
  const aim = COMMAND_AIMS.p99Ms;
  return `## 3. Commands: ${CONCURRENT} concurrent \`/news <number>\` over HTTP

Signed Slack slash-command requests for archived posts to a bot in the \`web\` role (Bolt's
HTTP receiver, signature verified on each), all ${CONCURRENT} sent at once over keep-alive connections
(node:http), after ${thousands(WARM_UP_ROUNDS * CONCURRENT)} warm-up requests; latency to the whole answer. One bot process,
${runs.length} round${runs.length === 1 ? '' : 's'}: each sends the ${CONCURRENT} at once, then the same ${CONCURRENT} one at a time.

| | p50 | p99 |
| --- | --- | --- |
| ${CONCURRENT} at once | ${round(median(runs.map((x) => x.p50)), 1)} ms | **${round(p99, 1)} ms** (runs: ${listRuns(
    runs.map((x) => x.p99),
    1,
  )}) |
| one at a time | ${round(seq50, 2)} ms | ${round(median(runs.map((x) => x.sequentialP99)), 2)} ms |
| the first ${CONCURRENT} at once after the start (cold) | ${round(result.cold.p50, 1)} ms | ${round(result.cold.p99, 1)} ms |

- Aim p99 < ${aim} ms for archived posts: ${verdict(p99 < aim)}${p99 < aim ? '.' : ` by ${round(p99 - aim, 0)} ms.`} Errors: ${errors}.
- One command alone takes ${round(seq50, 2)} ms. The bot spent ${round(cpu, 2)} ms of CPU per command (\`/proc\`, over
  the rounds); ${CONCURRENT} of them queued on its one JavaScript thread make ${round(CONCURRENT * cpu, 1)} ms, against the
  p99 of ${round(p99, 1)} ms. More \`web\` processes behind a load balancer divide the queue.
- The cold round, before the JIT has compiled the path, had a p99 ×${round(result.cold.p99 / p99, 1)} the warm one.
`;
}
