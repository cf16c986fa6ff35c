import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatSink } from '../support/chat-sink.js';
import { exitOf, startBotProcess } from '../support/child-process.js';
import { APPLICATION_ID, FakeDiscord } from '../support/fake-discord.js';
import { FakeBoard } from '../support/fake-board.js';
import { FakeSlack } from '../support/fake-slack.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { PrivateRedis } from '../support/private-redis.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

const CONCURRENCY = 10;
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function worker(env: Record<string, string>): Promise<ChildProcess> {
  const child = await startBotProcess({
    DELIVERY_CONCURRENCY: String(CONCURRENCY),
    SLACK_RATE_LIMIT: '0',
    DISCORD_RATE_LIMIT: '0',
    HOST: '127.0.0.1',
    PORT: '0',
    ROLE: 'worker',
    ...env,
  });
  cleanup.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return child;
}

describe('a worker killed during a fan-out through the real Slack and Discord adapters', () => {
  it('loses nothing, posts no Discord duplicate, and counts the Slack ones', async () => {
    const board = await new FakeBoard().start();
    const slack = (await new FakeSlack().start()).addTeam('T1', 'xoxb-crash-test');
    const discord = await new FakeDiscord().start();
    slack.postDelayMs = 20;
    discord.postDelayMs = 20;
    const pipeline = new PipelineHarness({ feedUrl: board.url });
    cleanup.push(
      () => board.close(),
      () => slack.close(),
      () => discord.close(),
      () => pipeline.close(),
    );
    const slackChannels = Array.from({ length: 200 }, (_, i) => `C${1000 + i}`);
    const discordChannels = Array.from({ length: 200 }, (_, i) =>
      String(100_000_000_000_000_000n + BigInt(i)),
    );
    slack.addChannel('T1', ...slackChannels);
    for (const id of slackChannels) await pipeline.subscribe('slack', id);
    for (const id of discordChannels) await pipeline.subscribe('discord', id);
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: pipeline.prefix,
      FEED_URL: board.url,
      SLACK_BOT_TOKEN: 'xoxb-crash-test',
      SLACK_SIGNING_SECRET: 'crash-test-secret',
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: 'discord-crash-test-token-0123456789',
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: discord.apiUrl,
    };

    const first = await worker(env);
    await pipeline.pollOnce();
    board.publish('작업자 강제 종료 중에도 전달되어야 할 글');
    await pipeline.pollOnce();
    const sent = () => slack.posted.length + discord.messageRequests().length;
    await waitFor('a third of the deliveries', () => sent() >= 130);
    first.kill('SIGKILL');
    await exitOf(first);
    const beforeRestart = sent();

    await worker(env);
    const slackReached = () => new Set(slack.posted.map((p) => p.channel)).size;
    await waitFor(
      'every channel',
      () => slackReached() === 200 && discord.messages.size === 200,
      60_000,
    );
    await pipeline.drain(30_000);

    const slackDuplicates = slack.posted.length - slackReached();
    const discordDuplicates = [...discord.messages.values()].reduce(
      (n, list) => n + list.length - 1,
      0,
    );
    const discordRetries = discord.messageRequests().length - discord.messages.size;
    console.log(
      `SIGKILL drill (real adapters): ${beforeRestart} of 400 sent before the kill; ` +
        `Slack duplicates ${slackDuplicates}, Discord duplicates ${discordDuplicates} ` +
        `(${discordRetries} repeated request(s) absorbed by the nonce)`,
    );
    expect(beforeRestart).toBeLessThan(400);
    expect(discordDuplicates).toBe(0);
    expect(slackDuplicates).toBeLessThanOrEqual(CONCURRENCY);
  }, 120_000);
});

describe('Redis restarted during a fan-out', () => {
  it('reconnects, loses nothing and keeps running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esg-redis-'));
    const redis = await PrivateRedis.start({ persistentDir: dir });
    const board = await new FakeBoard().start();
    const sink = await new ChatSink(25).start();
    const pipeline = new PipelineHarness({ feedUrl: board.url, redisUrl: redis.url });
    cleanup.push(
      () => rmSync(dir, { recursive: true, force: true }),
      () => redis.stop(),
      () => board.close(),
      () => sink.close(),
      () => pipeline.close(),
    );
    for (let i = 0; i < 300; i++) await pipeline.subscribe('slack', `C${i}`);

    const child = await worker({
      REDIS_URL: redis.url,
      QUEUE_PREFIX: pipeline.prefix,
      FEED_URL: board.url,
      CHAT_URL: sink.url,
    });
    await pipeline.pollOnce();
    board.publish('Redis 재시작 중에도 전달되어야 할 글');
    await pipeline.pollOnce();
    await waitFor('some deliveries', () => sink.total >= 60);

    await redis.stop();
    const atRestart = sink.total;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await redis.start();

    await waitFor('every channel', () => sink.received.size === 300, 60_000);
    await pipeline.drain(30_000);
    console.log(
      `Redis restart drill: ${atRestart} of 300 delivered when Redis went down; ` +
        `all 300 reached, ${sink.duplicates} duplicate(s)`,
    );
    expect(atRestart).toBeLessThan(300);
    expect(child.exitCode).toBeNull();
    expect(sink.duplicates).toBeLessThanOrEqual(CONCURRENCY);
  }, 120_000);
});
