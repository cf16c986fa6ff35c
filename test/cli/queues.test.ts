import { Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  failedJobs,
  formatFailed,
  queueCounts,
  redactFailed,
} from '../../src/cli/queues-command.js';
import { waitFor } from '../support/wait.js';
import { cliFixture, memoryOutput, type CliFixture } from './cli-fixture.js';

let t: CliFixture;

beforeEach(async () => {
  t = await cliFixture({ DELIVERY_ATTEMPTS: '1' });
});

afterEach(async () => {
  await t.cleanup();
});

const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };

/** Runs one worker on a queue that fails every job with `reason`, until `count` have failed. */
async function failJobs(queueName: string, reason: string, count: number): Promise<void> {
  const worker = new Worker(queueName, () => Promise.reject(new Error(reason)), {
    connection: t.test.redis,
    prefix: t.test.prefix,
  });
  const queue = t.services.queues.all().find((q) => q.name === queueName)!;
  await waitFor(`${count} failed jobs`, async () => (await queue.getFailedCount()) === count);
  await worker.close();
}

describe('queues and failed jobs', () => {
  it('counts jobs of every queue by state', async () => {
    await t.services.queues.enqueueDeliveries([{ sourceId: 'esg', boardNo: 1653, channel }]);
    await t.services.queues.pauseDeliveries('discord');

    const counts = await queueCounts(t.services);

    expect(counts.map((q) => q.queue)).toEqual([
      'poll',
      'poll-chat',
      'fan-out',
      'deliver-slack',
      'deliver-discord',
      'deliver-console',
      'deliver-telegram',
      'deliver-teams',
      'deliver-jandi',
      'deliver-dooray',
      'deliver-webhook',
      'maintenance',
    ]);
    expect(counts.find((q) => q.queue === 'deliver-slack')).toEqual({
      queue: 'deliver-slack',
      paused: false,
      counts: { waiting: 1, active: 0, delayed: 0, prioritized: 0, failed: 0, completed: 0 },
    });
    expect(counts.find((q) => q.queue === 'deliver-discord')?.paused).toBe(true);
  });

  it('lists failed jobs newest first and retries the ones listed', async () => {
    await t.services.queues.enqueueDeliveries([{ sourceId: 'esg', boardNo: 1653, channel }]);
    await failJobs('deliver-slack', 'platform down (token SECRET-VALUE)', 1);
    await t.services.queues.enqueueFanOut([{ sourceId: 'esg', boardNo: 1654 }]);
    await failJobs('fan-out', 'redis went away', 1);

    const listed = await failedJobs(t.services, { limit: 20, retry: false });
    expect(listed.total).toBe(2);
    expect(listed.jobs.map((j) => [j.queue, j.name, j.attemptsMade, j.failedReason])).toEqual([
      ['fan-out', 'fan-out', 1, 'redis went away'],
      ['deliver-slack', 'deliver', 1, 'platform down (token SECRET-VALUE)'],
    ]);
    const text = formatFailed(redactFailed(memoryOutput(), listed));
    expect(text).toContain('esg #1653 → slack:C1');
    expect(text).toContain('platform down (token [redacted])');
    expect(text).not.toContain('SECRET-VALUE');

    const newestOnly = await failedJobs(t.services, { limit: 1, retry: true });
    expect(newestOnly).toMatchObject({ total: 2, retried: 1, jobs: [{ queue: 'fan-out' }] });
    expect(await t.services.queues.fanOut.getWaitingCount()).toBe(1);
    expect(await t.services.queues.deliver.slack.getFailedCount()).toBe(1);
    expect(formatFailed(newestOnly)).toContain(
      '2 failed job(s) (the newest 1 shown).\nRetried 1 of them.',
    );
  });
});
