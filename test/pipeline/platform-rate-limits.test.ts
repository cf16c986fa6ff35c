import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { APPLICATION_ID, FakeDiscord } from '../support/fake-discord.js';
import { FakeBoard } from '../support/fake-board.js';
import { FakeSlack } from '../support/fake-slack.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { RecordingProxy, type Exchange } from '../support/recording-proxy.js';
import { waitFor } from '../support/wait.js';

/**
 * The pipeline as deployed: the default SLACK_RATE_LIMIT and DISCORD_RATE_LIMIT (other tests
 * turn them off), against fakes that answer 429 beyond the platforms' own limits. What is
 * checked is what a platform sees, never how long anything took.
 */

/** The platforms' limits as the fakes enforce them (Slack per workspace, Discord per bot). */
const SLACK_PER_SECOND = 10;
const DISCORD_PER_SECOND = 50;
/** More than a second's sending at each default rate: the platforms' windows fill. */
const SLACK_CHANNELS = Array.from({ length: 16 }, (_, i) => `C-LIMIT-${i}`);
const DISCORD_CHANNELS = Array.from({ length: 48 }, (_, i) =>
  String(100_000_000_000_000_100n + BigInt(i)),
);

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function started<T extends { start(): Promise<T>; close(): Promise<void> }>(thing: T) {
  await thing.start();
  cleanup.push(() => thing.close());
  return thing;
}

/**
 * Every 429 a platform answered, each with the next post to the same channel: it must exist
 * (nothing lost) and must have come no earlier than the wait the platform asked for.
 */
function retriesOf(posts: Exchange[]): Array<{ refused: Exchange; retry: Exchange | undefined }> {
  return posts
    .filter((post) => post.status === 429)
    .map((refused) => ({
      refused,
      retry: posts.find((p) => p.channel === refused.channel && p.arrivedAt > refused.arrivedAt),
    }));
}

describe('the default rate limits against the platforms’ limits', () => {
  it('alerts every Slack and Discord channel exactly once, waiting out any 429 for as long as asked', async () => {
    const board = await started(new FakeBoard());
    const slack = await started(new FakeSlack());
    const discord = await started(new FakeDiscord());
    slack.addTeam('T1', 'xoxb-rate-limits');
    slack.addChannel('T1', ...SLACK_CHANNELS);
    slack.limits = { perWorkspacePerSecond: SLACK_PER_SECOND, perChannelPerSecond: 1 };
    discord.limits = { globalPerSecond: DISCORD_PER_SECOND };
    const slackWire = await started(new RecordingProxy(slack.url));
    const discordWire = await started(new RecordingProxy(discord.apiUrl));
    const platforms = {
      SLACK_BOT_TOKEN: 'xoxb-rate-limits',
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_API_URL: slackWire.via(slack.apiUrl),
      DISCORD_TOKEN: 'discord-rate-limits-token-0123456789',
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: discordWire.via(discord.apiUrl),
    };
    // The rates the configuration gives when SLACK_RATE_LIMIT and DISCORD_RATE_LIMIT are unset
    // (the harness sets them to 0, off, unless told).
    const defaults = parseConfig(platforms);
    const pipeline = await started(
      new PipelineHarness({
        feedUrl: board.url,
        env: {
          ...platforms,
          SLACK_RATE_LIMIT: String(defaults.slack!.rateLimit),
          DISCORD_RATE_LIMIT: String(defaults.discord!.rateLimit),
        },
      }),
    );
    const channels = [
      ...(await Promise.all(SLACK_CHANNELS.map((c) => pipeline.subscribe('slack', c)))),
      ...(await Promise.all(DISCORD_CHANNELS.map((c) => pipeline.subscribe('discord', c)))),
    ];
    await pipeline.pollOnce();

    // At the default rates the limits are seldom met, so one 429 a platform is sure to come,
    // asking for longer than the rest of its queue takes: a retry that did not wait would come
    // sooner (a retry queued behind the others is late enough by itself).
    slack.rateLimits.set(SLACK_CHANNELS[0]!, { remaining: 1, retryAfter: 2 });
    discord.faults.set(DISCORD_CHANNELS[0]!, { status: 429, retryAfter: 2, remaining: 1 });
    const post = board.publish('속도 제한 아래에서도 모든 채널에 한 번씩');
    await pipeline.pollOnce();
    await waitFor(
      'an alert in every channel',
      () =>
        new Set(slack.posted.map((p) => p.channel)).size === SLACK_CHANNELS.length &&
        discord.messages.size === DISCORD_CHANNELS.length,
    );
    await pipeline.drain();

    // Exactly one alert per channel: nothing lost, nothing repeated, nothing still owed.
    expect(slack.posted.map((p) => p.channel).sort()).toEqual([...SLACK_CHANNELS].sort());
    expect(slack.posted.every((p) => p.text.includes(post.title))).toBe(true);
    expect([...discord.messages.keys()].sort()).toEqual([...DISCORD_CHANNELS].sort());
    for (const channel of DISCORD_CHANNELS) expect(discord.messages.get(channel)).toHaveLength(1);
    for (const channel of channels) {
      expect(await pipeline.deliveryLog.newestOwed(pipeline.sourceId, channel)).toBeNull();
    }
    expect([slack.refused, discord.refused]).toEqual([[], []]);

    // The platforms answered only "sent" or "wait", and every wait was waited out in full.
    const posts = [...slackWire.messagePosts(), ...discordWire.messagePosts()];
    expect(posts.filter((p) => p.status !== 200 && p.status !== 429)).toEqual([]);
    // The two asked for above, and whatever the limits answered: every 429 the fakes counted.
    expect(posts.filter((p) => p.status === 429)).toHaveLength(
      slack.rejected429 + discord.rejected429,
    );
    for (const { refused, retry } of retriesOf(posts)) {
      expect(retry, `a retry after the 429 to ${refused.channel}`).toBeDefined();
      expect(refused.retryAfterMs, `the wait asked of ${refused.channel}`).not.toBeNull();
      expect(retry!.arrivedAt - refused.answeredAt).toBeGreaterThanOrEqual(refused.retryAfterMs!);
    }
  });
});
