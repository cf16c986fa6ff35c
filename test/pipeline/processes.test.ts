import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatSink } from '../support/chat-sink.js';
import { exitOf, startBotProcess } from '../support/child-process.js';
import { FakeBoard } from '../support/fake-board.js';
import { PipelineHarness } from '../support/pipeline-harness.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

const CONCURRENCY = 10;
const CHANNELS = 500;

let board: FakeBoard;
let sink: ChatSink;
let pipeline: PipelineHarness;
const children: ChildProcess[] = [];

function startWorker(): Promise<ChildProcess> {
  return startBotProcess({
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: pipeline.prefix,
    FEED_URL: board.url,
    CHAT_URL: sink.url,
    DELIVERY_CONCURRENCY: String(CONCURRENCY),
    SLACK_RATE_LIMIT: '0',
    HOST: '127.0.0.1',
    PORT: '0',
    ROLE: 'worker',
  }).then((child) => {
    children.push(child);
    return child;
  });
}

beforeEach(async () => {
  board = await new FakeBoard().start();
  sink = await new ChatSink(15).start();
  pipeline = new PipelineHarness({ feedUrl: board.url, notifiers: [] });
  for (let i = 0; i < CHANNELS; i++)
    await pipeline.subscribe('slack', `C${String(i).padStart(4, '0')}`);
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await pipeline.close();
  await sink.close();
  await board.close();
});

describe('worker processes', () => {
  it('loses nothing when the worker is killed during a fan-out to 500 channels', async () => {
    const first = await startWorker();
    await pipeline.pollOnce();
    board.publish('크래시 중에도 전달되어야 할 글');
    await pipeline.pollOnce();

    await waitFor('a third of the deliveries', () => sink.total >= CHANNELS / 3);
    first.kill('SIGKILL');
    expect(await exitOf(first)).toMatchObject({ signal: 'SIGKILL' });
    const deliveredBeforeCrash = sink.total;

    await startWorker();
    await waitFor('every channel', () => sink.received.size === CHANNELS, 60_000);
    await pipeline.drain(30_000);

    console.log(
      `crash drill: ${deliveredBeforeCrash} delivered before SIGKILL, ${CHANNELS} channels reached, ` +
        `${sink.duplicates} duplicate(s) (bound: concurrency ${CONCURRENCY})`,
    );
    expect(sink.received.size).toBe(CHANNELS);
    expect(deliveredBeforeCrash).toBeLessThan(CHANNELS);
    expect(sink.duplicates).toBeLessThanOrEqual(CONCURRENCY);
  }, 120_000);

  it('finishes in-flight deliveries on SIGTERM, so a restart sends no duplicate', async () => {
    const first = await startWorker();
    await pipeline.pollOnce();
    board.publish('정상 종료 중에 전달되는 글');
    await pipeline.pollOnce();

    await waitFor('some deliveries', () => sink.total >= 50);
    first.kill('SIGTERM');
    expect(await exitOf(first)).toEqual({ code: 0, signal: null });
    expect(sink.total).toBeLessThan(CHANNELS);

    await startWorker();
    await waitFor('every channel', () => sink.received.size === CHANNELS, 60_000);
    await pipeline.drain(30_000);
    expect(sink.duplicates).toBe(0);
  }, 120_000);
});
