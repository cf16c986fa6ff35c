import type { WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * How quickly jobs of a crashed worker are taken over. BullMQ's defaults (30 s lock, 30 s
 * stalled check) suit production; tests and the crash drill shorten them.
 */
export interface WorkerTuning {
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export function workerOptions(
  connection: Redis,
  prefix: string,
  concurrency: number,
  tuning: WorkerTuning = {},
): WorkerOptions {
  return {
    connection,
    prefix,
    concurrency,
    // A job caught in a crash is taken over; a few crashes in a row still do not lose it.
    maxStalledCount: 3,
    ...(tuning.lockDurationMs ? { lockDuration: tuning.lockDurationMs } : {}),
    ...(tuning.stalledIntervalMs ? { stalledInterval: tuning.stalledIntervalMs } : {}),
  };
}
