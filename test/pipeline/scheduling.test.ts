import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { jobIds } from '../../jobs/job-ids.js';
import { startApp, type App } from '../../src/app/app.js';
import { FakeBoard } from '../support/fake-board.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { RecordingNotifier } from '../doubles/recording-notifier.js';
import { waitFor } from '../support/wait.js';

let board: FakeBoard;
let pipeline: PipelineHarness;
let second: App | null = null;

afterEach(async () => {
  await second?.close();
  await pipeline.close();
  await board.close();
});

describe('scheduled polling', () => {
  it('schedules each source at the tick of its rhythm, its own or the configuration’s', async () => {
    board = await new FakeBoard().start();
    pipeline = await new PipelineHarness({
      feedUrl: board.url,
      role: 'scheduler',
      env: {
        POLL_INTERVAL: '5m',
        POLL_BUSY_HOURS: 'mon-fri 08:00-20:00',
        SOURCES: [
          `esg=${board.url}`,
          `calm=${board.url}?calm#busy=off`,
          `quick=${board.url}?quick#poll=10m&busy=90s`,
        ].join(' '),
      },
    }).start();
    const schedulers = await pipeline.queues.poll.getJobSchedulers(0, -1);
    const every = Object.fromEntries(
      schedulers.map((s) => [s.key.slice(jobIds.pollScheduler('').length), s.every]),
    );
    // 1 and 5 minutes tick every minute; 5 minutes alone every 5; 90 s and 10 minutes every 30 s.
    expect(every).toEqual({ esg: 60_000, calm: 300_000, quick: 30_000 });
  });

  it('polls once per interval and delivers once when two full processes share one Redis', async () => {
    board = await new FakeBoard().start();
    const slackA = new RecordingNotifier('slack');
    const slackB = new RecordingNotifier('slack');
    pipeline = await new PipelineHarness({
      feedUrl: board.url,
      notifiers: [slackA],
      role: 'all',
      env: { POLL_INTERVAL: '1s' },
    }).start();
    second = await startApp({
      config: pipeline.config,
      logger: pino({ level: 'silent' }),
      role: 'all',
      notifiers: [slackB],
      fetchOptions: { retries: 0 },
    });
    for (const id of ['C1', 'C2', 'C3', 'C4']) await pipeline.subscribe('slack', id);

    await waitFor(
      'the first poll',
      async () => (await pipeline.states.get(pipeline.sourceId)).cursor === 1652,
    );
    board.publish('스케줄러가 찾은 첫 글');
    board.publish('스케줄러가 찾은 둘째 글');
    await waitFor(
      'both alerts in every channel',
      () => slackA.sent.length + slackB.sent.length === 8,
    );

    // Both processes scheduled the source under one id: one scheduler, one job a tick, not two.
    const schedulers = await pipeline.queues.poll.getJobSchedulers(0, -1);
    const key = jobIds.pollScheduler(pipeline.sourceId);
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([[key, 1_000]]);
    const scheduledPolls = async () =>
      (await pipeline.queues.poll.getCompleted(0, -1)).filter((job) => job.repeatJobKey === key);
    const seen = (await scheduledPolls()).length;
    const polls = await waitFor('three more scheduled polls', async () => {
      const done = await scheduledPolls();
      return done.length >= seen + 3 ? done : null;
    });
    // Each ran once, for its own tick, whole seconds after the others.
    const ticks = polls.map((job) => Number(job.id!.split(':').at(-1))).sort((a, b) => a - b);
    expect(new Set(ticks).size).toBe(ticks.length);
    for (const tick of ticks) expect((tick - ticks[0]!) % 1_000).toBe(0);

    const received: Record<string, number[]> = {};
    for (const alert of [...slackA.sent, ...slackB.sent])
      (received[alert.channelId] ??= []).push(alert.boardNo);
    for (const list of Object.values(received)) list.sort();
    expect(received).toEqual({
      C1: [1653, 1654],
      C2: [1653, 1654],
      C3: [1653, 1654],
      C4: [1653, 1654],
    });
  }, 30_000);
});
