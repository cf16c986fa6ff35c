import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedServer } from '../support/feed-server.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { RecordingNotifier } from '../doubles/recording-notifier.js';

/** A failing source backs off; a quiet one is announced stale; both name the source. */

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function feedPipeline(env: Record<string, string>) {
  const feed = await new FeedServer().start();
  cleanup.push(() => feed.close());
  feed.title = '환경부 보도자료';
  feed.items = [{ title: '첫 글', guid: 'g-1', date: new Date() }];
  const slack = new RecordingNotifier('slack');
  const pipeline = await new PipelineHarness({
    feedUrl: feed.url,
    notifiers: [slack],
    env,
  }).start();
  cleanup.push(() => pipeline.close());
  await pipeline.subscribe('slack', 'C1');
  await pipeline.pollOnce();
  return { feed, slack, pipeline };
}

describe('a failing source', () => {
  it('is not asked again before its back-off ends, waits longer each time, and starts over after a success', async () => {
    const { feed, pipeline } = await feedPipeline({ POLL_INTERVAL: '2s' });
    feed.fault = { status: 500 };
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      const started = Date.now();
      await expect(pipeline.pollOnce()).rejects.toThrow(/HTTP 500/);
      const { notBefore } = await pipeline.states.get(pipeline.sourceId);
      waits.push(notBefore!.getTime() - started);
      const requests = feed.requests.length;
      expect(await pipeline.pollOnce()).toMatchObject({ status: 'deferred' });
      expect(feed.requests.length).toBe(requests);
      await sleep(notBefore!.getTime() - Date.now() + 30);
    }
    expect(waits[3]!).toBeGreaterThan(waits[0]! + 1_000);
    for (let i = 1; i < waits.length; i++)
      expect(waits[i]! + 100).toBeGreaterThanOrEqual(waits[i - 1]!);

    feed.fault = null;
    expect(await pipeline.pollOnce()).toEqual({ status: 'not-modified' });
    expect((await pipeline.states.get(pipeline.sourceId)).notBefore).toBeUndefined();
    feed.fault = { status: 500 };
    const started = Date.now();
    await expect(pipeline.pollOnce()).rejects.toThrow(/HTTP 500/);
    const { notBefore } = await pipeline.states.get(pipeline.sourceId);
    expect(notBefore!.getTime() - started).toBeLessThan(waits[0]! + 500);
  }, 30_000);
});

describe('a source with nothing new', () => {
  it('sends its followers one notice naming it, and another only after a new item and a new quiet spell', async () => {
    const { feed, slack, pipeline } = await feedPipeline({ SOURCE_STALE_AFTER: '1s' });
    await pipeline.pollOnce();
    await pipeline.drain();
    expect(slack.notices).toEqual([]);

    await sleep(1_100);
    await pipeline.pollOnce();
    await pipeline.pollOnce();
    await pipeline.drain();
    expect(slack.notices.map((n) => [n.channelId, n.notice.kind, n.notice.sourceLabel])).toEqual([
      ['C1', 'stale', '환경부 보도자료'],
    ]);

    feed.items.unshift({ title: '새 글', guid: 'g-2', date: new Date() });
    await pipeline.pollOnce();
    await pipeline.drain();
    expect(slack.sent.map((a) => a.title)).toEqual(['새 글']);
    expect(slack.notices).toHaveLength(1);

    await sleep(1_100);
    await pipeline.pollOnce();
    await pipeline.drain();
    expect(slack.notices.map((n) => n.notice.kind)).toEqual(['stale', 'stale']);
  });
});

describe('notices', () => {
  it("carry the source's own title as its label", async () => {
    const { feed, slack, pipeline } = await feedPipeline({ SOURCE_ALERT_AFTER: '1s' });
    feed.fault = { status: 503 };
    await expect(pipeline.pollOnce()).rejects.toThrow(/HTTP 503/);
    await sleep(1_100);
    await expect(pipeline.pollOnce()).rejects.toThrow(/HTTP 503/);
    feed.fault = null;
    await pipeline.pollOnce();
    await pipeline.drain();
    expect(slack.notices.map((n) => [n.notice.kind, n.notice.sourceLabel])).toEqual([
      ['down', '환경부 보도자료'],
      ['recovered', '환경부 보도자료'],
    ]);
  });
});
