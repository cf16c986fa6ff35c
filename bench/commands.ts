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
import { percentile } from './stats.js';

const SECRET = 'bench-signing-secret';
export const CONCURRENT = 200;

export interface CommandRun {
  /** 200 requests sent at once. */
  p50: number;
  p99: number;
  max: number;
  errors: number;
  /** The same requests one at a time: the bot's own time per command, without queueing. */
  sequentialP50: number;
  sequentialP99: number;
}

export async function runCommands(rounds = 3): Promise<CommandRun[]> {
  const board = await new FakeBoard().start();
  const slack = (await new FakeSlack().start()).addTeam('T1', 'xoxb-bench');
  slack.addChannel('T1', 'C1');
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
  const bot = await startBuiltBot('web', {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    FEED_URL: board.url,
    HOST: '127.0.0.1',
    PORT: '0',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
  });
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
  try {
    // Warm-up, as a bot that has been running is: connections opened and the hot paths
    // compiled by the JIT (p99 falls by half over the first thousand requests).
    for (let i = 0; i < 6; i++)
      await Promise.all(Array.from({ length: CONCURRENT }, (_, j) => once(j)));
    const runs: CommandRun[] = [];
    for (let round = 0; round < rounds; round++) {
      const results = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => once(i)));
      const ms = results.map((r) => r.ms);
      const sequential: number[] = [];
      for (let i = 0; i < CONCURRENT; i++) sequential.push((await once(i)).ms);
      runs.push({
        p50: percentile(ms, 50),
        p99: percentile(ms, 99),
        max: Math.max(...ms),
        errors: results.filter((r) => !r.ok).length,
        sequentialP50: percentile(sequential, 50),
        sequentialP99: percentile(sequential, 99),
      });
    }
    return runs;
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
