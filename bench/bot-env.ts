import { APPLICATION_ID } from '../test/support/fake-discord.js';
import type { FakeSlack } from '../test/support/fake-slack.js';
import type { PipelineHarness } from '../test/support/pipeline-harness.js';

/** The bot token of the benchmarked workers, registered to team T1 of the fake Slack. */
export const BENCH_SLACK_TOKEN = 'xoxb-bench';

/**
 * Subscribes `slack` Slack channels and `discord` Discord channels, every post to each; the
 * Slack channels are created in the fake Slack's team T1, whose token the workers use.
 */
export async function subscribeChannels(
  pipeline: PipelineHarness,
  counts: { slack: number; discord: number },
  slack: FakeSlack,
): Promise<void> {
  slack.addTeam('T1', BENCH_SLACK_TOKEN);
  slack.addChannel('T1', ...Array.from({ length: counts.slack }, (_, i) => `C${100_000 + i}`));
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
    // The same polling at any hour (no busy hours), so runs compare.
    POLL_BUSY_HOURS: 'off',
    SLACK_BOT_TOKEN: BENCH_SLACK_TOKEN,
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    SLACK_API_URL: fakes.slackApiUrl,
    DISCORD_TOKEN: 'discord-bench-token-0123456789',
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_API_URL: fakes.discordApiUrl,
  };
}
