import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, FakeDiscord } from '../support/fake-discord.js';
import { FakeBoard } from '../support/fake-board.js';
import { FakeSlack, slashCommand } from '../support/fake-slack.js';
import { startHttpServer } from '../support/http-server.js';
import { ManualClock } from '../support/manual-clock.js';
import { PipelineHarness, type HarnessOptions } from '../support/pipeline-harness.js';
import { waitFor } from '../support/wait.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function fakes() {
  const slack = (await new FakeSlack().start()).addTeam('T1', 'xoxb-slack-token');
  slack.addChannel('T1', 'C1', 'C2', 'C-PLAIN', 'C-REFUSES', 'C-SLOW');
  const discord = await new FakeDiscord().start();
  cleanup.push(
    () => slack.close(),
    () => discord.close(),
  );
  return { slack, discord };
}

async function bot(
  feedUrl: string,
  slack: FakeSlack,
  discord: FakeDiscord,
  options: Partial<HarnessOptions> = {},
) {
  const harness = new PipelineHarness({
    feedUrl,
    role: 'worker',
    ...options,
    env: {
      SLACK_BOT_TOKEN: 'xoxb-slack-token',
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: 'discord-test-bot-token-0123456789',
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: discord.apiUrl,
      SWEEP_INTERVAL: '1s',
      ...options.env,
    },
  });
  cleanup.push(() => harness.close());
  return harness.start();
}

const item = (id: number, title: string, link: string) =>
  `<item><title><![CDATA[${title}]]></title><link>${link}</link><pubDate>${new Date().toUTCString()}</pubDate></item>`;
const rss = (items: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>보도자료</title>${items.join('')}</channel></rss>`;
const release = (id: number) => `https://www.korea.kr/briefing/pressReleaseView.do?newsId=${id}`;

const SLACK_CHANNELS = ['C1', 'C2'];
const DISCORD_CHANNELS = ['100000000000000001', '100000000000000002'];

describe('a post a platform refuses never blocks a channel', () => {
  it('delivers a 3,200-character title cut to the limits, never a javascript: link, and the posts after them, in every channel', async () => {
    const { slack, discord } = await fakes();
    let body = rss([item(1, '첫 글', release(200_000))]);
    const feed = await startHttpServer((_req, res: ServerResponse) =>
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body),
    );
    cleanup.push(() => feed.close());
    const pipeline = await bot(`${feed.url}/rss`, slack, discord);
    for (const c of SLACK_CHANNELS) await pipeline.subscribe('slack', c);
    for (const c of DISCORD_CHANNELS) await pipeline.subscribe('discord', c);
    await pipeline.pollOnce();

    const long = `탄소중립 ${'긴 제목 '.repeat(533)}`.slice(0, 3_200);
    body = rss([
      item(5, '두 번째 평범한 글', release(200_004)),
      item(4, '첫 번째 평범한 글', release(200_003)),
      item(3, '자바스크립트 링크 글', 'javascript:alert(200002)'),
      item(2, long, release(200_001)),
      item(1, '첫 글', release(200_000)),
    ]);
    await pipeline.pollOnce();
    await pipeline.drain();

    for (const channel of SLACK_CHANNELS) {
      const texts = slack.posted.filter((p) => p.channel === channel).map((p) => p.text);
      expect(texts).toHaveLength(3);
      expect(texts[1]).toContain('첫 번째 평범한 글');
      expect(texts[2]).toContain('두 번째 평범한 글');
    }
    for (const channel of DISCORD_CHANNELS) {
      const titles = (discord.messages.get(channel) ?? []).map(
        (m) => (m.embeds as Array<{ title: string }>)[0]!.title,
      );
      expect(titles).toHaveLength(3);
      expect(titles[0]!.length).toBeLessThanOrEqual(256);
      expect(titles.slice(1)).toEqual(['첫 번째 평범한 글', '두 번째 평범한 글']);
    }
    expect(slack.refused).toEqual([]);
    expect(discord.refused).toEqual([]);
    expect(JSON.stringify([slack.posted, [...discord.messages]])).not.toMatch(/javascript:/i);
  });

  it('retries a refused alert in its plain form, and skips one refused in every form without holding up the next', async () => {
    const { slack, discord } = await fakes();
    const board = await new FakeBoard().start();
    cleanup.push(() => board.close());
    const pipeline = await bot(board.url, slack, discord, { role: 'all' });
    const plainSlack = await pipeline.subscribe('slack', 'C-PLAIN');
    const deadSlack = await pipeline.subscribe('slack', 'C-REFUSES');
    await pipeline.subscribe('discord', DISCORD_CHANNELS[0]!);
    await pipeline.subscribe('discord', DISCORD_CHANNELS[1]!);
    await pipeline.pollOnce();
    slack.contentFaults.set('C-PLAIN', 'blocks');
    slack.contentFaults.set('C-REFUSES', 'all');
    discord.contentFaults.set(DISCORD_CHANNELS[0]!, 'embeds');
    discord.contentFaults.set(DISCORD_CHANNELS[1]!, 'all');

    board.publish('거부되는 첫 글');
    board.publish('거부되는 둘째 글');
    await pipeline.pollOnce();
    await pipeline.drain();

    // The plain form: text only on Slack, content only on Discord.
    const plain = slack.posted.filter((p) => p.channel === 'C-PLAIN');
    expect(plain.map((p) => p.blocks)).toEqual([[], []]);
    expect(plain[0]!.text).toContain('거부되는 첫 글');
    const plainDiscord = discord.messages.get(DISCORD_CHANNELS[0]!)!;
    expect(plainDiscord.map((m) => m.embeds ?? [])).toEqual([[], []]);
    expect(String(plainDiscord[1]!.content)).toContain('거부되는 둘째 글');
    expect(await pipeline.subscriptions.get(pipeline.sourceId, plainSlack)).not.toBeNull();

    // Refused in every form: counted, the channel kept, and its next post goes out.
    expect(await pipeline.deliveryLog.problems(deadSlack)).toMatchObject({
      refused: 2,
      givenUp: 0,
      last: { kind: 'refused', boardNo: 1654 },
    });
    expect(slack.posted.filter((p) => p.channel === 'C-REFUSES')).toEqual([]);
    const status = await slashCommand(pipeline.httpUrl, slack, 'C-REFUSES', '상태');
    expect(status.text).toContain('보내지 못한 알림: 플랫폼이 거부한 글 2건');
    slack.contentFaults.delete('C-REFUSES');
    discord.contentFaults.delete(DISCORD_CHANNELS[1]!);
    board.publish('다시 정상인 글');
    await pipeline.pollOnce();
    await pipeline.drain();
    expect(slack.posted.filter((p) => p.channel === 'C-REFUSES').map((p) => p.text)).toEqual([
      expect.stringContaining('다시 정상인 글'),
    ]);
    expect(discord.messages.get(DISCORD_CHANNELS[1]!)).toHaveLength(1);
    expect(await pipeline.subscriptions.get(pipeline.sourceId, deadSlack)).not.toBeNull();
  });
});

describe('nothing owed is forgotten', () => {
  it('sends a post whose delivery ran out of attempts once the platform recovers, without a new post', async () => {
    const { slack, discord } = await fakes();
    const board = await new FakeBoard().start();
    cleanup.push(() => board.close());
    const clock = new ManualClock();
    const pipeline = await bot(board.url, slack, discord, {
      retry: { attempts: 3, backoffMs: 20 },
      now: clock.now,
    });
    const channel = await pipeline.subscribe('discord', DISCORD_CHANNELS[0]!);
    await pipeline.pollOnce();

    discord.faults.set(DISCORD_CHANNELS[0]!, { status: 500, remaining: 1_000 });
    const post = board.publish('장애 뒤에 도착해야 할 글');
    await pipeline.pollOnce();
    await waitFor('the delivery to run out of attempts', async () =>
      (await pipeline.queues.deliver.discord.getFailedCount()) > 0 ? true : null,
    );
    await pipeline.drain();
    discord.faults.delete(DISCORD_CHANNELS[0]!);
    // No job is left to send it: the post is owed, and only the sweep brings it back.
    expect(discord.messages.get(DISCORD_CHANNELS[0]!)).toBeUndefined();
    expect(await pipeline.deliveryLog.newestOwed(pipeline.sourceId, channel)).toBe(post.boardNo);

    // The sweep leaves a channel owed for less than SWEEP_INTERVAL (its job may be on its way).
    clock.advance(1_000);
    expect(await pipeline.sweepOnce()).toMatchObject({ requeued: 1 });
    await pipeline.drain();
    expect(discord.messages.get(DISCORD_CHANNELS[0]!)).toHaveLength(1);
  });

  it('gives a post up for a channel that keeps failing past DELIVERY_GIVE_UP_AFTER, counts it, and goes on', async () => {
    const { slack, discord } = await fakes();
    const board = await new FakeBoard().start();
    cleanup.push(() => board.close());
    const pipeline = await bot(board.url, slack, discord, {
      retry: { attempts: 100, backoffMs: 200, maxBackoffMs: 300 },
      env: { DELIVERY_GIVE_UP_AFTER: '2s' },
    });
    const channel = await pipeline.subscribe('discord', DISCORD_CHANNELS[0]!);
    await pipeline.pollOnce();
    discord.faults.set(DISCORD_CHANNELS[0]!, { status: 500, remaining: 1_000 });
    board.publish('끝내 못 보낸 글');
    await pipeline.pollOnce();
    await waitFor('the post given up', async () =>
      (await pipeline.deliveryLog.problems(channel)).givenUp === 1 ? true : null,
    );
    expect(await pipeline.deliveryLog.newestOwed(pipeline.sourceId, channel)).toBeNull();
    expect(await pipeline.subscriptions.get(pipeline.sourceId, channel)).not.toBeNull();

    discord.faults.delete(DISCORD_CHANNELS[0]!);
    board.publish('복구 뒤의 글');
    await pipeline.pollOnce();
    await pipeline.drain();
    const titles = discord.messages
      .get(DISCORD_CHANNELS[0]!)!
      .map((m) => (m.embeds as Array<{ title: string }>)[0]!.title);
    expect(titles).toEqual(['복구 뒤의 글']);
  });
});

describe("a channel's order under a slow platform", () => {
  it('keeps the turn while one send outlasts its lifetime: no duplicate, oldest first, with two workers', async () => {
    const { slack, discord } = await fakes();
    const board = await new FakeBoard().start();
    cleanup.push(() => board.close());
    const tuning = { channelLockTtlMs: 400 };
    const first = await bot(board.url, slack, discord, { tuning });
    await bot(board.url, slack, discord, { tuning, prefix: first.prefix });
    await first.subscribe('slack', 'C-SLOW');
    await first.pollOnce();

    slack.postDelayMs = 1_200; // three times the turn's lifetime
    for (const title of ['느린 첫 글', '느린 둘째 글', '느린 셋째 글']) board.publish(title);
    await first.pollOnce();
    await waitFor('three alerts', () => slack.posted.length >= 3, 20_000);
    await first.drain();
    expect(slack.posted.map((p) => /느린 \S+ 글/.exec(p.text)?.[0])).toEqual([
      '느린 첫 글',
      '느린 둘째 글',
      '느린 셋째 글',
    ]);
  }, 30_000);
});
