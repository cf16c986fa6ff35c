import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { jobIds } from '../../jobs/job-ids.js';
import type { Platform } from '../../src/platforms/platform-registry.js';
import { createLogger } from '../../src/util/logger.js';
import { APPLICATION_ID, FakeDiscord } from '../support/fake-discord.js';
import { FakeBoard } from '../support/fake-board.js';
import { FakeSlack, slashCommand } from '../support/fake-slack.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { waitFor } from '../support/wait.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

function logSink() {
  const lines: Array<{ level: number; msg: string; platform?: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as (typeof lines)[number]);
      }
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

/**
 * Waits until `platform`'s deliveries are paused with none running: from then on no job of
 * it runs (a delayed one moves into the paused queue) until the platform is resumed.
 */
async function deliveriesStopped(bot: PipelineHarness, platform: Platform): Promise<void> {
  const queue = bot.queues.deliver[platform];
  await waitFor(`${platform} deliveries stopped`, async () =>
    (await queue.isPaused()) && (await queue.getActiveCount()) === 0 ? true : null,
  );
}

/** Waits until `count` more sweeps (the maintenance job the scheduler runs) have finished. */
async function sweepsCompleted(bot: PipelineHarness, count: number): Promise<void> {
  const sweeps = async () =>
    (await bot.queues.maintenance.getCompleted(0, -1))
      .filter((job) => job.repeatJobKey === jobIds.sweepScheduler)
      .map((job) => job.id);
  const before = new Set(await sweeps());
  await waitFor(`${count} more sweeps`, async () =>
    (await sweeps()).filter((id) => !before.has(id)).length >= count ? true : null,
  );
}

const SLACK_CHANNELS = ['C1', 'C2', 'C3'];
const DISCORD_CHANNEL = '100000000000000001';

describe('a Slack token revoked while the bot runs', () => {
  it('pauses Slack without unsubscribing anyone; a restart with a new token delivers what was owed, once', async () => {
    const board = await new FakeBoard().start();
    const slack = await new FakeSlack().start();
    // One workspace: the old token, then the one installed in its place.
    slack.addTeam('T1', 'xoxb-old-token').addTeam('T1', 'xoxb-new-token');
    slack.addChannel('T1', ...SLACK_CHANNELS);
    cleanup.push(
      () => board.close(),
      () => slack.close(),
    );
    const env = (token: string) => ({
      SLACK_BOT_TOKEN: token,
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_API_URL: slack.apiUrl,
    });
    const { lines, logger } = logSink();
    const first = new PipelineHarness({
      feedUrl: board.url,
      role: 'all',
      env: env('xoxb-old-token'),
      logger,
    });
    cleanup.push(() => first.close());
    await first.start();
    for (const channel of SLACK_CHANNELS) await first.subscribe('slack', channel);
    await first.pollOnce();

    slack.revoke('xoxb-old-token');
    const owed = board.publish('토큰이 바뀌는 동안 나온 글');
    await first.pollOnce();
    await waitFor('Slack paused', async () => {
      const health = await fetch(`${first.httpUrl}/healthz`).then((r) => r.json());
      return (health as { platforms: Record<string, string> }).platforms.slack?.startsWith(
        'unauthorized since',
      );
    });
    // Once Slack's queue is paused with no delivery running, no job can send again until
    // the platform resumes: whatever was sent with the refused token was sent by then.
    await deliveriesStopped(first, 'slack');
    expect(slack.callCount('chat.postMessage')).toBeLessThanOrEqual(SLACK_CHANNELS.length);
    expect(slack.posted).toEqual([]);
    expect(await first.subscriptions.count(first.sourceId)).toBe(SLACK_CHANNELS.length);
    // The channels are told why nothing arrives, in /news 상태.
    const status = await slashCommand(first.httpUrl, slack, 'C1', '상태');
    expect(status.text).toContain('알림 전송 중단');
    const paused = lines.filter((l) => l.msg.includes('refused the bot token'));
    expect(paused).toHaveLength(1);
    expect(paused[0]!.level).toBe(50); // error
    await first.stop();

    // The operator installs a new token and restarts the bot.
    const second = new PipelineHarness({
      feedUrl: board.url,
      role: 'all',
      env: env('xoxb-new-token'),
      prefix: first.prefix,
    });
    cleanup.push(() => second.close());
    await second.start();
    await waitFor('the owed post in every channel', () =>
      SLACK_CHANNELS.every((c) => slack.posted.some((p) => p.channel === c)),
    );
    await second.drain();
    expect(slack.posted.map((p) => p.channel).sort()).toEqual(SLACK_CHANNELS);
    expect(slack.posted.every((p) => p.authorization === 'Bearer xoxb-new-token')).toBe(true);
    expect(slack.posted.every((p) => p.text.includes(owed.title))).toBe(true);

    board.publish('새 토큰으로 받는 다음 글');
    await second.pollOnce();
    await second.drain();
    expect(slack.posted).toHaveLength(SLACK_CHANNELS.length * 2);
    const health = (await fetch(`${second.httpUrl}/healthz`).then((r) => r.json())) as {
      platforms: Record<string, string>;
    };
    expect(health.platforms.slack).toBe('ok');
  }, 40_000);
});

describe('a Discord token reset while the bot runs', () => {
  it('keeps the bot up and Slack served, probes Discord at most once a minute, and delivers after a restart with the new token', async () => {
    const board = await new FakeBoard().start();
    const slack = (await new FakeSlack().start()).addTeam('T1', 'xoxb-slack-token');
    slack.addChannel('T1', 'C1');
    const discord = await new FakeDiscord().start();
    cleanup.push(
      () => board.close(),
      () => slack.close(),
      () => discord.close(),
    );
    const env = (token: string) => ({
      SLACK_BOT_TOKEN: 'xoxb-slack-token',
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: token,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: discord.apiUrl,
      // The sweep runs every second here; the probe keeps to its one a minute regardless.
      SWEEP_INTERVAL: '1s',
    });
    const { lines, logger } = logSink();
    const first = new PipelineHarness({
      feedUrl: board.url,
      role: 'all',
      env: env('discord-old-token-0123456789'),
      logger,
    });
    cleanup.push(() => first.close());
    await first.start();
    await first.subscribe('slack', 'C1');
    await first.subscribe('discord', DISCORD_CHANNEL);
    await first.pollOnce();

    const resetAt = discord.requests.length;
    discord.resetToken('discord-old-token-0123456789');
    board.publish('디스코드 토큰이 바뀐 뒤 나온 글');
    await first.pollOnce();
    await waitFor('Slack still served', () => slack.posted.length === 1);
    await waitFor('Discord paused', async () => {
      const health = await fetch(`${first.httpUrl}/healthz`);
      const body = (await health.json()) as { platforms: Record<string, string> };
      return health.status === 200 && body.platforms.discord?.startsWith('unauthorized since');
    });
    board.publish('장애 중 슬랙으로 가는 두 번째 글');
    await first.pollOnce();
    await waitFor('Slack served again', () => slack.posted.length === 2);
    // Probes run in the sweeps (every second here): three of them have had their chance.
    await sweepsCompleted(first, 3);
    await deliveriesStopped(first, 'discord');

    const since = discord.requests.slice(resetAt);
    const probes = since.filter((r) => r.method === 'GET' && r.path === '/users/@me');
    const posts = since.filter((r) => r.method === 'POST' && r.path.includes('/messages'));
    expect(probes.length).toBeLessThanOrEqual(1);
    expect(posts.length).toBeLessThanOrEqual(1); // the one that met the 401
    expect(discord.messages.size).toBe(0);
    expect(await first.subscriptions.count(first.sourceId)).toBe(2);
    // The REST 401 and the gateway's 4004 are one refusal: said once at error level.
    const refusals = lines.filter((l) => l.level >= 50 && l.msg.includes('refused the bot token'));
    expect(refusals).toHaveLength(1);
    await first.stop();

    const second = new PipelineHarness({
      feedUrl: board.url,
      role: 'all',
      env: env('discord-new-token-0123456789'),
      prefix: first.prefix,
    });
    cleanup.push(() => second.close());
    await second.start();
    await waitFor('both owed posts on Discord', () =>
      (discord.messages.get(DISCORD_CHANNEL) ?? []).length === 2 ? true : null,
    );
    await second.drain();
    const titles = discord.messages
      .get(DISCORD_CHANNEL)!
      .map((m) => (m.embeds as Array<{ title: string }>)[0]!.title);
    expect(titles).toEqual(['디스코드 토큰이 바뀐 뒤 나온 글', '장애 중 슬랙으로 가는 두 번째 글']);
    expect(slack.posted).toHaveLength(2);
  }, 40_000);
});
