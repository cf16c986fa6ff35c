import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { adminDashboardRoute } from '../../adapters/http/admin-dashboard.js';
import { HttpServer } from '../../adapters/http/http-server.js';
import { PipelineQueues } from '../../jobs/queues.js';
import { connectTestRedis, TEST_REDIS_URL } from '../support/redis.js';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

/** Why the one failed delivery failed: what the dashboard must show. */
export const FAILURE_REASON = 'Slack answered channel_not_found for C-DASHBOARD';

/** The pipeline's queues in Redis under a unique prefix, with the dashboard served over HTTP. */
export interface DashboardFixture {
  queues: PipelineQueues;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** Errors the server's routes did not answer themselves. */
  errors: unknown[];
  close(): Promise<void>;
}

/**
 * Starts the real queues and, on an {@link HttpServer} on a free port, the dashboard over all of
 * them; `deliver-slack` holds one delivery that failed for good in a real BullMQ worker.
 */
export async function startDashboard(): Promise<DashboardFixture> {
  const redis = await connectTestRedis();
  const queues = new PipelineQueues(redis.redis, redis.prefix, {
    attempts: 1,
    backoffMs: 10,
    maxBackoffMs: 10,
  });
  await failOneDelivery(queues, redis.prefix);

  const errors: unknown[] = [];
  const server = new HttpServer(
    [adminDashboardRoute({ queues: queues.all(), token: ADMIN_TOKEN })],
    (error) => errors.push(error),
  );
  const { port } = await server.listen(0, '127.0.0.1');
  return {
    queues,
    origin: `http://127.0.0.1:${port}`,
    errors,
    async close() {
      await server.close();
      await queues.close();
      await redis.cleanup();
    },
  };
}

/** Queues one Slack delivery and lets a worker whose every attempt throws take it. */
async function failOneDelivery(queues: PipelineQueues, prefix: string): Promise<void> {
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const worker = new Worker(
    queues.deliver.slack.name,
    () => Promise.reject(new Error(FAILURE_REASON)),
    { connection, prefix },
  );
  try {
    const failed = new Promise<void>((resolve) => worker.once('failed', () => resolve()));
    await queues.enqueueDeliveries([
      {
        sourceId: 'dashboard-source',
        boardNo: 7,
        channel: { platform: 'slack', workspaceId: 'T1', channelId: 'C-DASHBOARD' },
      },
    ]);
    await failed;
  } finally {
    await worker.close();
    connection.disconnect();
  }
}
