import { Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineQueues } from '../../jobs/queues.js';
import { connectTestRedis, type TestRedis } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

let test: TestRedis;
let queues: PipelineQueues;

beforeEach(async () => {
  test = await connectTestRedis();
  queues = new PipelineQueues(test.redis, test.prefix, {
    attempts: 1,
    backoffMs: 10,
    maxBackoffMs: 10,
  });
});

afterEach(async () => {
  await queues.close();
  await test.cleanup();
});

const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };
const notice = (since: string) => ({
  kind: 'down' as const,
  sourceId: 'esg',
  sourceUrl: 'https://k-esg.org/post',
  since,
  error: 'HTTP_STATUS',
});

describe('retrying failed work', () => {
  it('retries failed notices created since the cut-off, and nothing else', async () => {
    await queues.enqueueNoticeDeliveries(notice('2026-11-29T01:00:00.000Z'), [channel]);
    await queues.enqueueDeliveries([{ sourceId: 'esg', boardNo: 1653, channel }]);
    const failing = new Worker(
      queues.deliver.slack.name,
      () => Promise.reject(new Error('platform down')),
      { connection: test.redis, prefix: test.prefix },
    );
    await waitFor('both failed', async () => (await queues.deliver.slack.getFailedCount()) === 2);
    await failing.close();

    expect(await queues.retryFailed(new Date(Date.now() + 60_000), ['slack'])).toBe(0);
    expect(await queues.retryFailed(new Date(Date.now() - 60_000), ['slack'])).toBe(1);
    const waiting = await queues.deliver.slack.getWaiting();
    expect(waiting.map((job) => job.name)).toEqual(['notice']);
    expect(await queues.deliver.slack.getFailedCount()).toBe(1);
  });
});
