/**
 * Benchmark 2: one new post to 150 Slack and 750 Discord channels, in a built worker with the
 * default rate limits, against fakes that enforce the platforms' limits with 429s: Slack 10
 * messages/s per workspace and 1/s per channel, Discord 50 requests/s per bot and its
 * per-channel bucket. Both platforms then need 15 s at the least.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DISCORD_CHANNEL_BUCKET, FakeDiscord } from '../test/support/fake-discord.js';
import { FakeBoard } from '../test/support/fake-board.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { PipelineHarness } from '../test/support/pipeline-harness.js';
import { TEST_REDIS_URL } from '../test/support/redis.js';
import { waitFor } from '../test/support/wait.js';
import { subscribeChannels, workerEnv } from './bot-env.js';
import { startBuiltBot } from './bot-process.js';
import { THIS_BUILD, type Build } from './build.js';
import { DEFAULT_RATE_LIMITS } from './defaults.js';
import { listRuns, verdict } from './report-format.js';
import { median, round } from './stats.js';

export const RATE_LIMITED = {
  slack: 150,
  discord: 750,
  slackPerSecond: 10,
  slackPerChannelPerSecond: 1,
  discordPerSecond: 50,
};

/** What the section checks: time against the minimum, and the share of requests answered 429. */
export const RATE_LIMIT_AIMS = { ratio: 1.15, share429: 0.01 } as const;

export interface RateLimitRun {
  seconds: number;
  minimumSeconds: number;
  ratio: number;
  requests: number;
  rejected: number;
  share429: number;
  lost: number;
}

export async function runRateLimited(build: Build = THIS_BUILD): Promise<RateLimitRun> {
  const board = await new FakeBoard().start();
  const slack = await new FakeSlack().start();
  const discord = await new FakeDiscord().start();
  slack.limits = {
    perWorkspacePerSecond: RATE_LIMITED.slackPerSecond,
    perChannelPerSecond: RATE_LIMITED.slackPerChannelPerSecond,
  };
  discord.limits = { globalPerSecond: RATE_LIMITED.discordPerSecond };
  const pipeline = new PipelineHarness({ feedUrl: board.url });
  // The fake Slack knows the bench's workspace and token before the bot checks its token.
  await subscribeChannels(pipeline, RATE_LIMITED, slack);
  const bot = await startBuiltBot(
    'worker',
    workerEnv({
      redisUrl: TEST_REDIS_URL,
      prefix: pipeline.prefix,
      boardUrl: board.url,
      slackApiUrl: slack.apiUrl,
      discordApiUrl: discord.apiUrl,
    }),
    build,
  );
  try {
    await pipeline.pollOnce();
    board.publish('벤치마크: 속도 제한 아래의 새 글');
    await sleep(200);
    const started = Date.now();
    await pipeline.pollOnce();
    const total = RATE_LIMITED.slack + RATE_LIMITED.discord;
    const reached = () => new Set(slack.posted.map((p) => p.channel)).size + discord.messages.size;
    await waitFor('every channel', () => reached() >= total, 300_000);
    await pipeline.drain(60_000);
    const seconds = (Math.max(slack.lastPostAt, discord.lastPostAt) - started) / 1000;
    const minimumSeconds = leastSeconds(RATE_LIMITED.slackPerSecond, RATE_LIMITED.discordPerSecond);
    const rejected = slack.rejected429 + discord.rejected429;
    const requests = slack.posted.length + discord.messageRequests().length + slack.rejected429;
    return {
      seconds,
      minimumSeconds,
      ratio: seconds / minimumSeconds,
      requests,
      rejected,
      share429: rejected / requests,
      lost: total - reached(),
    };
  } finally {
    await bot.stop();
    await pipeline.close();
    await Promise.all([board.close(), slack.close(), discord.close()]);
  }
}

/** The least time the channels take at these rates per second: the slower platform's. */
function leastSeconds(slackPerSecond: number, discordPerSecond: number): number {
  return Math.max(RATE_LIMITED.slack / slackPerSecond, RATE_LIMITED.discord / discordPerSecond);
}

/** The benchmark's section of BENCHMARKS.md, from several runs of {@link runRateLimited}. */
export function renderRateLimited(runs: RateLimitRun[]): string {
  const r = RATE_LIMITED;
  const aims = RATE_LIMIT_AIMS;
  const ratio = median(runs.map((x) => x.ratio));
  const share = median(runs.map((x) => x.share429));
  const lost = Math.max(...runs.map((x) => x.lost));
  const minimum = runs[0]!.minimumSeconds;
  // The bot's own limits, when under the platform's, set a least time of their own.
  const own = leastSeconds(
    Math.min(DEFAULT_RATE_LIMITS.slack, r.slackPerSecond),
    Math.min(DEFAULT_RATE_LIMITS.discord, r.discordPerSecond),
  );
  const explained = ratio > 1 ? (100 * (own / minimum - 1)) / (ratio - 1) : 0;
  return `## 2. Under the platforms' rate limits

One post to ${r.slack} Slack and ${r.discord} Discord channels, default settings (\`SLACK_RATE_LIMIT=${DEFAULT_RATE_LIMITS.slack}\`,
\`DISCORD_RATE_LIMIT=${DEFAULT_RATE_LIMITS.discord}\`), against fakes that answer 429 beyond Slack's ${r.slackPerSecond} messages/s per
workspace (and ${r.slackPerChannelPerSecond}/s per channel) and Discord's ${r.discordPerSecond} requests/s per bot (and ${DISCORD_CHANNEL_BUCKET.messages} per ${DISCORD_CHANNEL_BUCKET.seconds} s per
channel). The least time the limits allow is ${minimum} s (Slack ${round(r.slack / r.slackPerSecond, 2)} s, Discord ${round(r.discord / r.discordPerSecond, 2)} s).

| total time | against the minimum | requests answered 429 | lost |
| --- | --- | --- | --- |
| ${round(median(runs.map((x) => x.seconds)), 1)} s | **×${round(ratio, 3)}** (runs: ${listRuns(
    runs.map((x) => x.ratio),
    3,
  )}) | **${round(share * 100, 2)} %** (runs: ${listRuns(
    runs.map((x) => x.share429 * 100),
    2,
  )} %) | ${lost} |

- Aim within ${round((aims.ratio - 1) * 100, 0)} % of the minimum: ${verdict(ratio <= aims.ratio)}. Aim under ${round(aims.share429 * 100, 2)} % 429s: ${verdict(share < aims.share429)}. Nothing lost: ${verdict(lost === 0)}.
- Each platform's queue starts one delivery per 1/rate s across all workers (BullMQ's limiter).
  At the bot's own rates the least time is ${round(own, 2)} s, ×${round(own / minimum, 3)} the minimum: ${round(explained, 0)} % of the
  gap measured.
`;
}
