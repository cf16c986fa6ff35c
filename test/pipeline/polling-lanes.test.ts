import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBoard } from '../support/fake-board.js';
import { FakeSlack } from '../support/fake-slack.js';
import { startHttpServer, type LocalServer } from '../support/http-server.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { waitFor } from '../support/wait.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

/** A feed server that takes every request and answers none until released. */
async function hangingFeeds(): Promise<
  LocalServer & { waiting: ServerResponse[]; answered: number; release(): void }
> {
  const waiting: ServerResponse[] = [];
  let answered = 0;
  let released = false;
  const answer = (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss><channel/></rss>');
    answered++;
  };
  const server = await startHttpServer((_req, res) => {
    if (released) answer(res);
    else waiting.push(res);
  });
  return {
    ...server,
    waiting,
    get answered() {
      return answered;
    },
    /** Answers what waits, and every later request at once. */
    release() {
      released = true;
      for (const res of waiting.splice(0)) answer(res);
    },
  };
}

describe('polling lanes', () => {
  it('a configured source’s new post is announced while every chat-added poll hangs on a slow feed', async () => {
    const board = await new FakeBoard().start();
    const slack = (await new FakeSlack().start()).addTeam('T1', 'xoxb-lanes');
    slack.addChannel('T1', 'C-GOV');
    const slow = await hangingFeeds();
    const bot = new PipelineHarness({
      feedUrl: board.url,
      role: 'all',
      env: {
        SLACK_BOT_TOKEN: 'xoxb-lanes',
        SLACK_SIGNING_SECRET: 'signing-secret',
        SLACK_API_URL: slack.apiUrl,
        ALLOW_PRIVATE_SOURCES: 'true',
        CHAT_POLL_CONCURRENCY: '2',
        CHAT_POLL_TIME_BUDGET: '10m',
      },
      // The slow feeds must stay unanswered for the whole test, whatever the machine's load.
      fetchOptions: { timeoutMs: 600_000 },
    });
    cleanup.push(
      () => board.close(),
      () => slack.close(),
      () => slow.close(),
      () => bot.close(),
    );
    cleanup.push(() => Promise.resolve(slow.release()));
    await bot.start();
    await bot.subscribe('slack', 'C-GOV');
    await bot.pollOnce(); // the board's first read archives what is there

    // Six chat-added feeds on the slow server, more than the chat lane runs at once.
    for (let i = 0; i < 6; i++) {
      const name = `slow-${i}`;
      await bot.subscriptions.follow(
        name,
        { platform: 'slack', workspaceId: 'T9', channelId: `C${i}`, keywords: [], createdAt: '' },
        {
          register: {
            name,
            url: `${slow.url}/feed-${i}`,
            origin: 'chat',
            displayName: null,
            kind: 'feed',
            addedAt: new Date().toISOString(),
          },
        },
      );
      await bot.queues.pollChat.add('poll', { sourceId: name });
    }
    await waitFor('the chat lane to be busy with the slow feeds', () => slow.waiting.length >= 2);

    const post = board.publish('국가 온실가스 감축목표 이행점검 결과');
    await bot.pollOnce();
    await bot.drain();
    expect(slack.posted.map((p) => [p.channel, p.text.split('\n')[1]])).toEqual([
      ['C-GOV', post.title],
    ]);
    // The alert went out while every chat-added read was still waiting for its feed.
    expect(slow.answered).toBe(0);
    expect(await bot.queues.pollChat.getActiveCount()).toBeGreaterThanOrEqual(2);
  });
});
