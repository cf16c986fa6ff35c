import { APPLICATION_ID } from '../test/support/fake-discord.js';
import type { PipelineHarness } from '../test/support/pipeline-harness.js';

/** Subscribes `slack` Slack channels and `discord` Discord channels, every post to each. */
export async function subscribeChannels(
  pipeline: PipelineHarness,
  counts: { slack: number; discord: number },
): Promise<void> {
  await Promise.all([
    ...Array.from({ length: counts.slack }, (_, i) =>
      pipeline.subscribe('slack', `C${100_000 + i}`),
    ),
    ...Array.from({ length: counts.discord }, (_, i) =>
      pipeline.subscribe('discord', String(100_000_000_000_000_000n + BigInt(i))),
    ),
  ]);
}

/** The environment of a benchmarked worker: the shared Redis, one prefix, the local fakes. */
export function workerEnv(fakes: {
  redisUrl: string;
  prefix: string;
  boardUrl: string;
  slackApiUrl: string;
  discordApiUrl: string;
}): Record<string, string> {
  return {
    REDIS_URL: fakes.redisUrl,
    QUEUE_PREFIX: fakes.prefix,
    FEED_URL: fakes.boardUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    POLL_INTERVAL: '1h',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    SLACK_API_URL: fakes.slackApiUrl,
    DISCORD_TOKEN: 'discord-bench-token-0123456789',
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_API_URL: fakes.discordApiUrl,
  };
}
