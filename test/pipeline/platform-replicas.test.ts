import { afterEach, describe, expect, it } from 'vitest';
import { CONSOLE_CHANNEL } from '../../src/app/app.js';
import { APPLICATION_ID, FakeDiscord } from '../support/fake-discord.js';
import { FakeBoard } from '../support/fake-board.js';
import { FakeSlack } from '../support/fake-slack.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { waitFor } from '../support/wait.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

const SLACK_CHANNELS = ['C1', 'C2', 'C3'];
const DISCORD_CHANNELS = ['100000000000000011', '100000000000000012', '100000000000000013'];

type Tokens = 'slack' | 'discord';

/**
 * Two replicas of the bot on one Redis prefix, each with its own chat tokens. The first runs
 * alone while the first posts are fanned out, so that fan-out runs where some platform's token
 * is missing; then the second starts and both take jobs. Every post must reach every channel
 * on both platforms exactly once, whichever replica fanned it out.
 */
async function twoReplicas(first: readonly Tokens[], second: readonly Tokens[]) {
  const board = await new FakeBoard().start();
  const slack = (await new FakeSlack().start()).addTeam('T1', 'xoxb-replica-token');
  slack.addChannel('T1', ...SLACK_CHANNELS);
  const discord = await new FakeDiscord().start();
  cleanup.push(
    () => board.close(),
    () => slack.close(),
    () => discord.close(),
  );
  const env = (tokens: readonly Tokens[]) => ({
    ...(tokens.includes('slack')
      ? {
          SLACK_BOT_TOKEN: 'xoxb-replica-token',
          SLACK_SIGNING_SECRET: 'signing-secret',
          SLACK_API_URL: slack.apiUrl,
        }
      : {}),
    ...(tokens.includes('discord')
      ? {
          DISCORD_TOKEN: 'discord-replica-token-0123456789',
          DISCORD_APPLICATION_ID: APPLICATION_ID,
          DISCORD_API_URL: discord.apiUrl,
        }
      : {}),
  });
  const a = new PipelineHarness({ feedUrl: board.url, role: 'worker', env: env(first) });
  cleanup.push(() => a.close());
  for (const channel of SLACK_CHANNELS) await a.subscribe('slack', channel);
  for (const channel of DISCORD_CHANNELS) await a.subscribe('discord', channel);
  await a.start();
  const b = new PipelineHarness({
    feedUrl: board.url,
    role: 'worker',
    env: env(second),
    prefix: a.prefix,
  });
  cleanup.push(() => b.stop());

  /** The titles each channel received, in order. */
  const received = () => {
    const byChannel = new Map<string, string[]>();
    for (const message of slack.posted) {
      const titles = byChannel.get(message.channel) ?? [];
      titles.push(message.text);
      byChannel.set(message.channel, titles);
    }
    for (const [channel, messages] of discord.messages) {
      const titles = messages.map((m) => (m.embeds as Array<{ title: string }>)[0]!.title);
      byChannel.set(channel, titles);
    }
    return byChannel;
  };
  const reachedEverywhere = (titles: readonly string[]) => {
    const got = received();
    return [...SLACK_CHANNELS, ...DISCORD_CHANNELS].every((channel) =>
      titles.every((title) => (got.get(channel) ?? []).some((text) => text.includes(title))),
    );
  };

  // The first replica alone: it polls and fans out, lacking at least one platform's token.
  await a.pollOnce();
  const titles = ['첫째 복제본이 퍼뜨린 글 하나', '첫째 복제본이 퍼뜨린 글 둘'];
  for (const title of titles) board.publish(title);
  await a.pollOnce();
  // What it has no token for is queued and waits in that platform's queue.
  const missing = (['slack', 'discord'] as const).filter((p) => !first.includes(p));
  for (const platform of missing) {
    await waitFor(`${platform} deliveries waiting in their queue`, async () => {
      const counts = await a.queues.deliver[platform].getJobCounts('waiting', 'prioritized');
      return (counts.waiting ?? 0) + (counts.prioritized ?? 0) === titles.length * 3;
    });
  }

  // The second replica starts; both take polls, fan-outs and deliveries from now on.
  await b.start();
  for (const round of ['둘이 함께 나눈 글 하나', '둘이 함께 나눈 글 둘', '둘이 함께 나눈 글 셋']) {
    board.publish(round);
    titles.push(round);
    // Whichever replica takes the poll and the fan-out.
    await a.pollOnce();
  }
  await waitFor('every post in every channel', () => reachedEverywhere(titles), 30_000);
  await a.drain();

  // Exactly once, oldest first, in every channel of both platforms.
  for (const [channel, got] of received()) {
    expect(got, channel).toHaveLength(titles.length);
    titles.forEach((title, i) => expect(got[i], channel).toContain(title));
  }
  expect([...received().keys()].sort()).toEqual([...SLACK_CHANNELS, ...DISCORD_CHANNELS].sort());
  return a;
}

describe('replicas with different chat tokens on one Redis', () => {
  it('delivers every post to every channel once: one replica with Slack only, one with Discord only', async () => {
    await twoReplicas(['slack'], ['discord']);
  }, 60_000);

  it('delivers every post to every channel once when the replica that fans out has no token at all', async () => {
    const tokenless = await twoReplicas([], ['slack', 'discord']);
    // A token-less replica beside chat channels does not add the console as one more channel.
    expect(await tokenless.subscriptions.get(tokenless.sourceId, CONSOLE_CHANNEL)).toBeNull();
  }, 60_000);
});
