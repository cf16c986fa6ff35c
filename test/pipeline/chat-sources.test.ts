import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer } from '../support/http-server.js';
import { sourcesBot } from '../support/sources-bot.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

/** Another loopback address, treated as public by the test's guard, to serve a redirect. */
const PRETEND_PUBLIC = '127.0.0.2';

async function redirectorOn(address: string, location: string) {
  const server = createServer((_req, res) => res.writeHead(302, { location }).end());
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return {
    url: `http://${address}:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('a channel adding a feed by URL', () => {
  it('refuses, in Korean, URLs that lead inside the network, also after a redirect', async () => {
    let reached = 0;
    const inside = await startHttpServer((_req, res) => {
      reached++;
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss/>');
    });
    const redirector = await redirectorOn(
      PRETEND_PUBLIC,
      'http://169.254.169.254/latest/meta-data/',
    );
    cleanup.push(
      () => inside.close(),
      () => redirector.close(),
    );
    const port = (url: string) => new URL(url).port;
    const t = await sourcesBot(cleanup, () => ({}), {
      addressGuard: {
        // A public-looking name that resolves to loopback, without DNS.
        resolve: (host) => Promise.resolve(host === 'feed.example.com' ? ['127.0.0.1'] : []),
        isAllowed: (address) => address === PRETEND_PUBLIC,
      },
    });
    for (const url of [
      `http://feed.example.com:${port(inside.url)}/rss`,
      `http://127.0.0.1:${port(inside.url)}/rss`,
      'http://10.0.0.1/rss',
      'http://169.254.169.254/latest/meta-data/',
      `${redirector.url}/rss`, // allowed itself, but redirects to the metadata address
    ]) {
      expect((await t.command('C-ADD', `구독 ${url}`)).text).toContain('읽어 보고 있습니다');
      const answer = await t.later('C-ADD');
      expect(answer.text, url).toContain('내부망 주소');
      t.slack.responses.length = 0;
    }
    expect(reached).toBe(0);
    expect((await t.command('C-ADD', '소스')).text).toContain('소스 1개');
  });

  it('with ALLOW_PRIVATE_SOURCES, adds a local feed named from its host, and its new items reach the channel', async () => {
    const t = await sourcesBot(cleanup, () => ({ ALLOW_PRIVATE_SOURCES: 'true' }));
    await t.command('C-ADD', `구독 ${t.feeds.url('/korea')} 환경부`);
    const answer = await t.later('C-ADD');
    expect(answer.text).toContain('`127-0-0-1`');
    expect(answer.text).toContain('정책브리핑 보도자료');
    expect(
      await t.bot.subscriptions.get('127-0-0-1', {
        platform: 'slack',
        workspaceId: 'T1',
        channelId: 'C-ADD',
      }),
    ).toMatchObject({ keywords: ['환경부'] });

    await t.poll('127-0-0-1'); // the first read archives what is there
    t.feeds.add('/korea', 156_500_010, '채팅으로 추가한 피드의 새 글');
    await t.poll('127-0-0-1');
    await t.bot.drain();
    expect(t.slack.posted.map((p) => [p.channel, p.text.split('\n')[1]])).toEqual([
      ['C-ADD', '채팅으로 추가한 피드의 새 글'],
    ]);

    // The same URL from another channel is the same source.
    await t.command('C-OTHER', `구독 ${t.feeds.url('/korea')}`);
    expect((await t.later('C-OTHER')).text).toContain('`127-0-0-1`');
    expect((await t.command('C-OTHER', '소스')).text).toContain('소스 2개');

    // Nobody follows it any more: it is no longer read.
    await t.command('C-ADD', '구독해지 127-0-0-1');
    await t.command('C-OTHER', '구독해지 127-0-0-1');
    expect((await t.command('C-OTHER', '소스')).text).toContain('소스 1개');
    expect(await t.bot.scheduledSources()).not.toContain('127-0-0-1');
  });

  it('stops reading a chat-added feed once its only channel is gone for the bot', async () => {
    const t = await sourcesBot(cleanup, () => ({ ALLOW_PRIVATE_SOURCES: 'true' }));
    await t.command('C-GONE', `구독 ${t.feeds.url('/korea')}`);
    expect((await t.later('C-GONE')).text).toContain('`127-0-0-1`');
    await t.poll('127-0-0-1');
    t.slack.channelErrors.set('C-GONE', 'channel_not_found'); // the channel was deleted
    t.feeds.add('/korea', 156_500_020, '삭제된 채널로 가던 새 글');
    await t.poll('127-0-0-1');
    await t.bot.drain();
    expect(t.slack.posted).toEqual([]);
    expect(await t.bot.scheduledSources()).not.toContain('127-0-0-1');
    expect((await t.command('C-OTHER', '소스')).text).toContain('소스 1개');
  });

  it('refuses the eleventh source in one channel', async () => {
    const t = await sourcesBot(cleanup, () => ({ ALLOW_PRIVATE_SOURCES: 'true' }));
    await t.command('C-MANY', '구독'); // the default source: one
    for (let i = 1; i <= 10; i++) {
      t.feeds.add(`/feed-${i}`, 1_000 + i, `피드 ${i}`);
      const reply = await t.command('C-MANY', `구독 ${t.feeds.url(`/feed-${i}`)}`);
      if (i === 10) {
        expect(reply.text).toContain('10개까지'); // refused before the URL is even read
        continue;
      }
      expect((await t.later('C-MANY')).text, `feed ${i}`).toContain('구독했습니다');
      t.slack.responses.length = 0;
    }
  });

  it('deletes what a released feed left in Redis once its grace period is over', async () => {
    const t = await sourcesBot(cleanup, () => ({
      ALLOW_PRIVATE_SOURCES: 'true',
      RELEASED_SOURCE_GRACE: '0',
    }));
    await t.command('C-ADD', `구독 ${t.feeds.url('/korea')}`);
    expect((await t.later('C-ADD')).text).toContain('`127-0-0-1`');
    await t.poll('127-0-0-1');
    const keysOf = () => t.bot.redis.keys(`${t.bot.keyPrefix}:*:127-0-0-1`);
    expect((await keysOf()).length).toBeGreaterThan(3); // archive, item numbers, state

    await t.command('C-ADD', '구독해지 127-0-0-1');
    expect(await t.bot.scheduledSources()).not.toContain('127-0-0-1');
    await t.bot.sweepOnce();
    expect(await keysOf()).toEqual([]);
    expect(await t.bot.registry.released()).toEqual([]);
  });

  it('keeps a released feed’s data through its grace period, and a channel following it again gets it back', async () => {
    const t = await sourcesBot(cleanup, () => ({ ALLOW_PRIVATE_SOURCES: 'true' }));
    await t.command('C-ADD', `구독 ${t.feeds.url('/korea')}`);
    await t.later('C-ADD');
    await t.poll('127-0-0-1');
    await t.command('C-ADD', '구독해지 127-0-0-1');
    await t.bot.sweepOnce();
    expect(await t.bot.archive.newest('127-0-0-1', 5)).toHaveLength(1);

    t.slack.responses.length = 0;
    await t.command('C-BACK', `구독 ${t.feeds.url('/korea')}`);
    expect((await t.later('C-BACK')).text).toContain('`127-0-0-1`');
    expect(await t.bot.scheduledSources()).toContain('127-0-0-1');
    // Its items were seen before: following it again announces none of them.
    await t.poll('127-0-0-1');
    await t.bot.drain();
    expect(t.slack.posted).toEqual([]);
  });
});
