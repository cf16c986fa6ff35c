import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisChannelScheduleStore } from '../../adapters/redis/redis-channel-schedules.js';
import { exitOf, startBotProcess } from '../support/child-process.js';
import { APPLICATION_ID, FakeDiscord } from '../support/fake-discord.js';
import { FakeBoard } from '../support/fake-board.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

const CHANNELS = Array.from({ length: 20 }, (_, i) => String(100_000_000_000_000_100n + BigInt(i)));

describe('a worker killed while it sends the 09:00 digests', () => {
  it('sends each channel its digest exactly once', async () => {
    const board = await new FakeBoard().start();
    const discord = await new FakeDiscord().start();
    discord.postDelayMs = 150; // the kill lands while digests are in flight
    const pipeline = new PipelineHarness({ feedUrl: board.url });
    cleanup.push(
      () => board.close(),
      () => discord.close(),
      () => pipeline.close(),
    );
    const schedules = new RedisChannelScheduleStore(pipeline.redis, pipeline.keys);
    for (const id of CHANNELS) {
      const channel = await pipeline.subscribe('discord', id);
      await schedules.set(channel, {
        digest: { times: ['09:00'], weekdaysOnly: false },
        quiet: null,
      });
    }
    /** A worker whose clock starts at `at` (Korea time) and runs on. */
    const worker = async (at: string): Promise<ChildProcess> => {
      const child = await startBotProcess({
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: pipeline.prefix,
        FEED_URL: board.url,
        DISCORD_TOKEN: 'discord-digest-crash-token-0123456789',
        DISCORD_APPLICATION_ID: APPLICATION_ID,
        DISCORD_API_URL: discord.apiUrl,
        DISCORD_RATE_LIMIT: '0',
        DELIVERY_CONCURRENCY: '5',
        HOST: '127.0.0.1',
        PORT: '0',
        ROLE: 'worker',
        CLOCK_AT: `${at}+09:00`,
      });
      cleanup.push(() => {
        if (child.exitCode === null) child.kill('SIGKILL');
      });
      return child;
    };
    const kill = async (child: ChildProcess) => {
      child.kill('SIGKILL');
      await exitOf(child);
    };

    // Before 09:00 the posts are found and held for the digest.
    const early = await worker('2026-12-07T08:50:00');
    await pipeline.pollOnce();
    for (const title of ['요약에 들 첫 글', '요약에 들 둘째 글', '요약에 들 셋째 글']) {
      board.publish(title);
    }
    await pipeline.pollOnce();
    await pipeline.drain();
    expect(discord.messageRequests()).toHaveLength(0);
    await kill(early);

    // At 09:00 a worker starts sending the digests and is killed in the middle.
    const sending = await worker('2026-12-07T09:00:05');
    await pipeline.queues.maintenance.add('sweep', {}, { attempts: 1 });
    await waitFor('some digests sent', () => discord.messageRequests().length >= 4);
    await kill(sending);
    const beforeKill = discord.messageRequests().length;

    // Another worker takes over: the sweep and the stalled jobs finish the round.
    await worker('2026-12-07T09:00:30');
    await pipeline.sweepOnce();
    await waitFor(
      'a digest in every channel',
      () => discord.messages.size === CHANNELS.length,
      30_000,
    );
    await pipeline.drain(30_000);
    await pipeline.sweepOnce();
    await pipeline.drain(30_000);

    const perChannel = CHANNELS.map((id) => discord.messages.get(id) ?? []);
    expect(perChannel.map((messages) => messages.length)).toEqual(CHANNELS.map(() => 1));
    for (const [message] of perChannel) {
      const [embed] = message!.embeds as Array<{ title: string; description: string }>;
      expect(embed!.title).toMatch(/^요약 · .* · 새 글 3건/);
      expect(embed!.description).toContain('요약에 들 셋째 글');
    }
    console.log(
      `digest SIGKILL drill: ${beforeKill} of ${CHANNELS.length} digests requested before the kill; ` +
        `${discord.messageRequests().length - CHANNELS.length} repeated request(s) absorbed by the nonce`,
    );
    expect(beforeKill).toBeLessThan(CHANNELS.length);
  }, 120_000);
});
