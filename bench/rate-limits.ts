/**
 * Benchmark 2: one new post to 150 Slack and 750 Discord channels, in a built worker with the
 * default rate limits, against fakes that enforce the platforms' limits with 429s: Slack 10
 * messages/s per workspace and 1/s per channel, Discord 50 requests/s per bot and 5 per 5 s
 * per channel. Both platforms then need 15 s at the least.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeDiscord } from '../test/support/fake-discord.js';
import { FakeBoard } from '../test/support/fake-board.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { PipelineHarness } from '../test/support/pipeline-harness.js';
import { TEST_REDIS_URL } from '../test/support/redis.js';
import { waitFor } from '../test/support/wait.js';
import { subscribeChannels, workerEnv } from './bot-env.js';
import { startBuiltBot } from './bot-process.js';

export const RATE_LIMITED = { slack: 150, discord: 750, slackPerSecond: 10, discordPerSecond: 50 };

export interface RateLimitRun {
  seconds: number;
  minimumSeconds: number;
  ratio: number;
  requests: number;
  rejected: number;
  share429: number;
  lost: number;
}

export async function runRateLimited(): Promise<RateLimitRun> {
  const board = await new FakeBoard().start();
  const slack = await new FakeSlack().start();
  const discord = await new FakeDiscord().start();
  slack.limits = { perWorkspacePerSecond: RATE_LIMITED.slackPerSecond };
  discord.limits = { globalPerSecond: RATE_LIMITED.discordPerSecond };
  const pipeline = new PipelineHarness({ feedUrl: board.url });
  const bot = await startBuiltBot('worker', {
    ...workerEnv({
      redisUrl: TEST_REDIS_URL,
      prefix: pipeline.prefix,
      boardUrl: board.url,
      slackApiUrl: slack.apiUrl,
      discordApiUrl: discord.apiUrl,
    }),
  });
  try {
    await subscribeChannels(pipeline, RATE_LIMITED, slack);
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
    const minimumSeconds = Math.max(
      RATE_LIMITED.slack / RATE_LIMITED.slackPerSecond,
      RATE_LIMITED.discord / RATE_LIMITED.discordPerSecond,
    );
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
