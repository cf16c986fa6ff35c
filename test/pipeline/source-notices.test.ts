import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeBoard } from '../support/fake-board.js';
import { ManualClock } from '../support/manual-clock.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { RecordingNotifier } from '../doubles/recording-notifier.js';

let board: FakeBoard;
let slack: RecordingNotifier;
let pipeline: PipelineHarness;
let clock: ManualClock;

beforeEach(async () => {
  board = await new FakeBoard().start();
  slack = new RecordingNotifier('slack');
  clock = new ManualClock();
  pipeline = await new PipelineHarness({
    feedUrl: board.url,
    notifiers: [slack],
    env: { SOURCE_ALERT_AFTER: '1s' },
    now: clock.now,
  }).start();
});

afterEach(async () => {
  await pipeline.close();
  await board.close();
});

describe('a failing source is never silent', () => {
  it('tells every subscribed channel once when reads keep failing, and once when they recover', async () => {
    await pipeline.subscribe('slack', 'all');
    await pipeline.subscribe('slack', 'carbon', ['탄소']);
    await pipeline.pollOnce();

    board.fault = 'http500';
    const failedPoll = () => expect(pipeline.pollOnce()).rejects.toThrow(/HTTP 500/);
    await failedPoll();
    await pipeline.drain();
    expect(slack.notices).toEqual([]); // one failed read is not an outage yet

    clock.advance(1_000); // failing for SOURCE_ALERT_AFTER now
    for (let i = 0; i < 3; i++) await failedPoll();
    await pipeline.drain();
    expect(slack.notices.map((n) => [n.channelId, n.notice.kind]).sort()).toEqual([
      ['all', 'down'],
      ['carbon', 'down'],
    ]);
    expect(slack.notices[0]!.notice.error).toMatch(/HTTP_STATUS/);
    // Named by the board's own title, learnt from its first read.
    expect(slack.notices[0]!.notice.sourceLabel).toBe('ESG 정책뉴스');

    board.fault = null;
    board.publish('장애 중 올라온 탄소 정책');
    await pipeline.pollOnce();
    await pipeline.pollOnce();
    await pipeline.drain();
    expect(
      slack.notices
        .filter((n) => n.notice.kind === 'recovered')
        .map((n) => n.channelId)
        .sort(),
    ).toEqual(['all', 'carbon']);
    expect(slack.byChannel()).toEqual({ all: [1653], carbon: [1653] });
  });
});
