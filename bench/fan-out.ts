/**
 * Benchmark 1: one new post to 5,000 channels (2,500 Slack, 2,500 Discord) through the real
 * adapters, in built worker processes, against local fake APIs without latency or limits.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeDiscord } from '../test/support/fake-discord.js';
import { FakeBoard } from '../test/support/fake-board.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { PipelineHarness } from '../test/support/pipeline-harness.js';
import { TEST_REDIS_URL } from '../test/support/redis.js';
import { waitFor } from '../test/support/wait.js';
import { subscribeChannels, workerEnv } from './bot-env.js';
import { startBuiltBot, type BotProcess } from './bot-process.js';

export interface FanOutRun {
  workers: number;
  deliveries: number;
  seconds: number;
  perSecond: number;
  peakRssMb: number;
}

export async function runFanOut(
  workers: number,
  channels: { slack: number; discord: number } = { slack: 2_500, discord: 2_500 },
): Promise<FanOutRun> {
  const board = await new FakeBoard().start();
  const slack = await new FakeSlack().start();
  const discord = await new FakeDiscord().start();
  const pipeline = new PipelineHarness({ feedUrl: board.url });
  const bots: BotProcess[] = [];
  try {
    await subscribeChannels(pipeline, channels, slack);
    const env = {
      ...workerEnv({
        redisUrl: TEST_REDIS_URL,
        prefix: pipeline.prefix,
        boardUrl: board.url,
        slackApiUrl: slack.apiUrl,
        discordApiUrl: discord.apiUrl,
      }),
      SLACK_RATE_LIMIT: '0',
      DISCORD_RATE_LIMIT: '0',
    };
    for (let i = 0; i < workers; i++) bots.push(await startBuiltBot('worker', env));
    await pipeline.pollOnce();
    board.publish('벤치마크: 5,000개 채널로 가는 새 글');
    await sleep(200);

    const total = channels.slack + channels.discord;
    const delivered = () => slack.posted.length + discord.messages.size;
    const started = Date.now();
    await pipeline.pollOnce();
    await waitFor('every delivery', () => delivered() >= total, 300_000);
    const seconds = (Math.max(slack.lastPostAt, discord.lastPostAt) - started) / 1000;
    return {
      workers,
      deliveries: delivered(),
      seconds,
      perSecond: total / seconds,
      peakRssMb: Math.max(...bots.map((b) => b.peakRssMb())),
    };
  } finally {
    for (const bot of bots) await bot.stop();
    await pipeline.close();
    await Promise.all([board.close(), slack.close(), discord.close()]);
  }
}
