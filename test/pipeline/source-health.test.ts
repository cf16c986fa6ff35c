import { afterEach, describe, expect, it } from 'vitest';
import { FeedServer } from '../support/feed-server.js';
import { ManualClock } from '../support/manual-clock.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { RecordingNotifier } from '../doubles/recording-notifier.js';

/** A failing source backs off; a quiet one is announced stale; both name the source. */

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

/** The bot reads time from `clock`: the test steps to each instant that matters. */
async function feedPipeline(env: Record<string, string>, clock = new ManualClock()) {
  const feed = await new FeedServer().start();
  cleanup.push(() => feed.close());
  feed.title = '환경부 보도자료';
  feed.items = [{ title: '첫 글', guid: 'g-1', date: new Date() }];
  const slack = new RecordingNotifier('slack');
  const pipeline = await new PipelineHarness({
    feedUrl: feed.url,
    notifiers: [slack],
    env,
    now: clock.now,
  }).start();
  cleanup.push(() => pipeline.close());
  await pipeline.subscribe('slack', 'C1');
  await pipeline.pollOnce();
  return { feed, slack, pipeline, clock };
}

describe('a failing source', () => {
  it('is not asked again before its back-off ends, waits longer each time, and starts over after a success', async () => {
    const { feed, pipeline, clock } = await feedPipeline({ POLL_INTERVAL: '2s' });
    feed.fault = { status: 500 };
    /** One failed read at the clock's instant; how long the source is then left alone. */
    const failAndWait = async (): Promise<number> => {
      const asked = clock.ms;
      await expect(pipeline.pollOnce()).rejects.toThrow(/HTTP 500/);
      const { notBefore } = await pipeline.states.get(pipeline.sourceId);
      // A millisecond before the wait ends the poll is deferred and the source hears nothing.
      clock.set(notBefore!.getTime() - 1);
      const requests = feed.requests.length;
      expect(await pipeline.pollOnce()).toEqual({
        status: 'deferred',
        until: notBefore!.toISOString(),
      });
      expect(feed.requests.length).toBe(requests);
      clock.set(notBefore!);
      return notBefore!.getTime() - asked;
    };

    const waits: number[] = [];
    for (let round = 0; round < 6; round++) waits.push(await failAndWait());
    // The back-off lasts as long as the failures have, at least one interval (2 s), each
    // ending half an interval early: reads at 0, 1, 2, 3, 5 and 9 s into the outage.
    expect(waits).toEqual([1_000, 1_000, 1_000, 2_000, 4_000, 8_000]);

    feed.fault = null;
    expect(await pipeline.pollOnce()).toEqual({ status: 'not-modified' });
    expect((await pipeline.states.get(pipeline.sourceId)).notBefore).toBeUndefined();
    feed.fault = { status: 500 };
    expect(await failAndWait()).toBe(waits[0]);
  });
});

describe('a source with nothing new', () => {
  it('sends its followers one notice naming it, and another only after a new item and a new quiet spell', async () => {
    const { feed, slack, pipeline, clock } = await feedPipeline({ SOURCE_STALE_AFTER: '1s' });
    await pipeline.pollOnce();
    await pipeline.drain();
    expect(slack.notices).toEqual([]);

    clock.advance(1_000);
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

    clock.advance(999);
    await pipeline.pollOnce();
    await pipeline.drain();
    expect(slack.notices).toHaveLength(1);
    clock.advance(1);
    await pipeline.pollOnce();
    await pipeline.drain();
    expect(slack.notices.map((n) => n.notice.kind)).toEqual(['stale', 'stale']);
  });
});

describe('notices', () => {
  it("carry the source's own title as its label", async () => {
    const { feed, slack, pipeline, clock } = await feedPipeline({ SOURCE_ALERT_AFTER: '1s' });
    feed.fault = { status: 503 };
    await expect(pipeline.pollOnce()).rejects.toThrow(/HTTP 503/);
    clock.advance(1_000);
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
