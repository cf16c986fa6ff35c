import { afterEach, describe, expect, it } from 'vitest';
import { sourceIdFor } from '../../src/model/post.js';
import { channelKey } from '../../src/model/subscription.js';
import { FakeBoard } from '../support/fake-board.js';
import { FakeSlack, slashCommand } from '../support/fake-slack.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { waitFor } from '../support/wait.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

const SUBSCRIBER = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C-OLD' };
const OWED = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C-OWED' };

describe('upgrading from the release with one source', () => {
  it('keeps subscriptions, archive, cursor and what was owed, moved to the default source, once', async () => {
    const board = await new FakeBoard().start();
    const slack = (await new FakeSlack().start()).addTeam('T1', 'xoxb-upgrade');
    slack.addChannel('T1', SUBSCRIBER.channelId, OWED.channelId);
    cleanup.push(
      () => board.close(),
      () => slack.close(),
    );
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-upgrade',
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_API_URL: slack.apiUrl,
      SWEEP_INTERVAL: '1s',
    };
    const bot = new PipelineHarness({ feedUrl: board.url, role: 'all', env });
    cleanup.push(() => bot.close());

    // What the previous release left in Redis: everything under the id it made from FEED_URL.
    const legacy = sourceIdFor(board.url);
    const { redis, prefix } = bot;
    for (const entry of board.entries.slice(0, 20)) {
      const post = {
        sourceId: legacy,
        boardNo: entry.boardNo,
        title: entry.title,
        ministry: entry.ministry,
        date: entry.date,
        url: `${board.url}/${entry.postId}`,
        originalUrl: null,
      };
      await redis.hset(`${prefix}:posts:${legacy}`, String(entry.boardNo), JSON.stringify(post));
      await redis.zadd(`${prefix}:post-numbers:${legacy}`, entry.boardNo, String(entry.boardNo));
      await redis.hset(`${prefix}:post-text:${legacy}`, String(entry.boardNo), entry.title);
    }
    await redis.hset(`${prefix}:source:${legacy}`, { cursor: 1652, lastSuccessAt: Date.now() });
    for (const channel of [SUBSCRIBER, OWED]) {
      await redis.hset(
        `${prefix}:subscriptions`,
        channelKey(channel),
        JSON.stringify({ ...channel, keywords: [], createdAt: '2026-11-01T00:00:00.000Z' }),
      );
    }
    // A post owed to one channel when the old release stopped.
    await redis.zadd(`${prefix}:pending:${legacy}:${channelKey(OWED)}`, 1652, '1652');
    await redis.hset(
      `${prefix}:owing`,
      `${legacy}|${channelKey(OWED)}`,
      JSON.stringify({ sourceId: legacy, channel: OWED, since: Date.now() - 120_000 }),
    );

    await bot.start();
    await waitFor('the owed post', () => slack.posted.some((p) => p.channel === 'C-OWED'));
    expect(await redis.exists(`${prefix}:subscriptions`, `${prefix}:posts:${legacy}`)).toBe(0);
    expect(await bot.subscriptions.count('esg')).toBe(2);
    expect((await bot.states.get('esg')).cursor).toBe(1652);
    expect((await bot.archive.get('esg', 1645))?.sourceId).toBe('esg');

    // A lookup is answered from the moved archive at once, and the next post is news, not a
    // first read: it reaches both channels, once.
    const lookup = await slashCommand(bot.httpUrl, slack, 'C-OLD', '1645');
    expect(lookup.response_type).toBe('in_channel');
    // The post's own title, not only its number (which "1645번 글이 없습니다" has too).
    expect(lookup.text).toContain('3국 환경장관, 황사개선 협력 등 공동합의문 서명');

    await bot.stop();
    const again = new PipelineHarness({ feedUrl: board.url, role: 'all', env, prefix });
    cleanup.push(() => again.close());
    await again.start(); // the migration finds nothing to move the second time
    board.publish('업그레이드 뒤의 첫 새 글');
    await again.pollOnce();
    await again.drain();
    const got = (channel: string) =>
      slack.posted.filter((p) => p.channel === channel).map((p) => p.text.split('\n')[1]);
    expect(got('C-OLD')).toEqual(['업그레이드 뒤의 첫 새 글']);
    expect(got('C-OWED')).toEqual([board.entries[1]!.title, '업그레이드 뒤의 첫 새 글']);
  }, 30_000);
});
