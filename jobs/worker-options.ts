import type { WorkerOptions } from 'bullmq';
import type { RedisClient } from '../adapters/redis/redis-connection.js';
import { cappedBackoff, type RetryPolicy } from './retry-policy.js';

/**
 * How quickly jobs of a crashed worker are taken over. BullMQ's defaults (30 s lock, 30 s
 * stalled check) suit production; tests and the crash drill shorten them.
 */
export interface WorkerTuning {
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

/** What every worker needs to know: where the queues are and how failed jobs are retried. */
export interface WorkerBase {
  connection: RedisClient;
  prefix: string;
  retry: RetryPolicy;
  tuning?: WorkerTuning;
}

export function workerOptions(base: WorkerBase, concurrency: number): WorkerOptions {
  const { connection, prefix, tuning = {} } = base;
  return {
    connection,
    prefix,
    concurrency,
    settings: { backoffStrategy: cappedBackoff(base.retry) },
    // A job caught in a crash is taken over; a few crashes in a row still do not lose it.
    maxStalledCount: 3,
    ...(tuning.lockDurationMs ? { lockDuration: tuning.lockDurationMs } : {}),
    ...(tuning.stalledIntervalMs ? { stalledInterval: tuning.stalledIntervalMs } : {}),
  };
}
