import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedServer, type TestFeedItem } from '../support/feed-server.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { RecordingNotifier } from '../doubles/recording-notifier.js';

/**
 * Any feed works: items are known by identity, not by a number in their link, so every new
 * item is announced once, however the feed dates, orders or numbers it.
 */

let feed: FeedServer;
let slack: RecordingNotifier;
let pipeline: PipelineHarness;

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
const item = (slug: string, hours: number, fields: Partial<TestFeedItem> = {}): TestFeedItem => ({
  title: slug,
  guid: `tag:example.org,2026:${slug}`,
  link: `https://example.org/news/2026/11/${slug}`,
  date: hoursAgo(hours),
  ...fields,
});

beforeEach(async () => {
  feed = await new FeedServer().start();
  slack = new RecordingNotifier('slack');
  pipeline = await new PipelineHarness({
    feedUrl: feed.url,
    notifiers: [slack],
    env: { SOURCE_MAX_AGE: '3d' },
  }).start();
  await pipeline.subscribe('slack', 'C1');
});

afterEach(async () => {
  await pipeline.close();
  await feed.close();
});

/** One poll, then every alert out: the titles sent so far. */
async function pollAndDeliver(): Promise<string[]> {
  await pipeline.pollOnce();
  await pipeline.drain();
  return slack.sent.map((a) => a.title);
}

describe('a feed whose links carry no post number', () => {
  it('announces every new Atom entry once when ids are tag: UUIDs and permalinks /news/2026/11/<letters>', async () => {
    feed.format = 'atom';
    const uuid = (n: number) => `tag:example.org,2026:${n}f8fad5b-d9cb-469f-a165-70867728950e`;
    feed.items = [
      item('carbon-border', 3, { guid: uuid(1) }),
      item('green-taxonomy', 4, { guid: uuid(2) }),
    ];
    expect(await pipeline.pollOnce()).toMatchObject({ status: 'initialized', archived: 2 });

    feed.items.unshift(
      item('esg-disclosure', 1, { guid: uuid(3) }),
      item('supply-chain', 2, { guid: uuid(4) }),
    );
    expect(await pollAndDeliver()).toEqual(['supply-chain', 'esg-disclosure']);
    const numbers = slack.sent.map((a) => a.boardNo);
    expect(new Set(numbers).size).toBe(2);
    expect(numbers).not.toContain(11);

    feed.title = '제목만 바뀐 피드';
    expect(await pollAndDeliver()).toHaveLength(2);
    for (const n of numbers)
      expect((await pipeline.archive.get(pipeline.sourceId, n))?.url).toMatch(/\/news\/2026\/11\//);
  });

  it('announces once a back-dated entry inserted below newer ones', async () => {
    feed.items = [item('newest', 1), item('older', 30)];
    await pipeline.pollOnce();
    feed.items.splice(1, 0, item('published-late', 20));
    expect(await pollAndDeliver()).toEqual(['published-late']);
    feed.items.unshift(item('next', 0.5));
    expect(await pollAndDeliver()).toEqual(['published-late', 'next']);
  });

  it('announces nothing again when the feed drops and re-adds an old item, or reorders its items', async () => {
    feed.items = [item('c', 1), item('b', 2), item('a', 3)];
    await pipeline.pollOnce();
    const [c, b, a] = feed.items as [TestFeedItem, TestFeedItem, TestFeedItem];
    for (const items of [
      [c, a],
      [c, b, a],
      [b, a, c],
      [a, b, c],
    ]) {
      feed.items = items;
      expect(await pipeline.pollOnce()).toMatchObject({ status: 'read', announced: [] });
    }
    await pipeline.drain();
    expect(slack.sent).toEqual([]);
  });

  it('makes one post of two items with the same guid in one feed', async () => {
    feed.items = [item('a', 3)];
    await pipeline.pollOnce();
    const archivedBefore = (await pipeline.archive.newest(pipeline.sourceId, 50)).length;
    feed.items.unshift(
      item('첫 판', 1, { guid: 'same', link: 'https://example.org/p/1' }),
      item('고친 판', 1, { guid: 'same', link: 'https://example.org/p/2' }),
    );
    expect(await pollAndDeliver()).toEqual(['첫 판']);
    expect((await pipeline.archive.newest(pipeline.sourceId, 50)).length).toBe(archivedBefore + 1);
  });

  it('identifies items with no guid and no link by title and date, and announces each once', async () => {
    const bare = (title: string, hours: number): TestFeedItem => ({ title, date: hoursAgo(hours) });
    feed.items = [bare('알림 A', 3)];
    await pipeline.pollOnce();
    feed.items.unshift(bare('알림 B', 1));
    expect(await pollAndDeliver()).toEqual(['알림 B']);
    feed.title = '다시 읽히도록 바뀐 제목';
    expect(await pollAndDeliver()).toEqual(['알림 B']);
  });

  it('archives without an alert an item first seen now but published over SOURCE_MAX_AGE ago', async () => {
    feed.items = [item('a', 1)];
    await pipeline.pollOnce();
    feed.items.push(item('four-days-old', 4 * 24), item('yesterday', 24));
    expect(await pollAndDeliver()).toEqual(['yesterday']);
    const titles = (await pipeline.archive.newest(pipeline.sourceId, 10)).map((p) => p.title);
    expect(titles).toContain('four-days-old');
  });
});

describe('item numbers', () => {
  const view = (newsId: number) =>
    `https://www.korea.kr/briefing/pressReleaseView.do?newsId=${newsId}&call_from=rsslink`;

  it('keeps korea.kr newsIds as numbers: /news 156581997 still finds its release', async () => {
    feed.items = [item('한미일 외교차관 통화', 30, { guid: undefined, link: view(156581997) })];
    await pipeline.pollOnce();
    expect((await pipeline.archive.get(pipeline.sourceId, 156581997))?.title).toBe(
      '한미일 외교차관 통화',
    );
    feed.items.unshift(item('새 보도자료', 1, { guid: undefined, link: view(156700003) }));
    await pollAndDeliver();
    expect(slack.sent.map((a) => a.boardNo)).toEqual([156700003]);
  });

  it('gives an item whose own number is taken a short sequence number of its own', async () => {
    feed.items = [item('원래 7번', 2, { link: 'https://example.org/view?no=7' })];
    await pipeline.pollOnce();
    feed.items.unshift(item('또 7번', 1, { link: 'https://example.org/view?no=7&lang=en' }));
    await pollAndDeliver();
    expect(slack.sent.map((a) => [a.boardNo, a.title])).toEqual([[1, '또 7번']]);
    expect((await pipeline.archive.get(pipeline.sourceId, 7))?.title).toBe('원래 7번');
  });
});
