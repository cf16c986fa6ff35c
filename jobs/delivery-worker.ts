import { DelayedError, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { deliver, deliverNotice, type DeliverDeps, type DeliveryOutcome } from '../src/deliver.js';
import { DeliveryError } from '../src/notifier.js';
import type { Platform } from '../src/subscription.js';
import { deliverJobSchema, type DeliverJob } from './payloads.js';
import { QUEUE_NAMES } from './queues.js';
import { workerOptions, type WorkerTuning } from './worker-options.js';

export interface DeliveryWorkerDeps extends DeliverDeps {
  connection: Redis;
  prefix: string;
  tuning?: WorkerTuning;
  /** Deliveries in flight at once in this process; channels never wait on each other beyond it. */
  concurrency: number;
  platform: Platform;
  /** Deliveries per second across every worker of this platform (a platform-wide API limit). */
  ratePerSecond?: number;
}

/**
 * Delivers alerts and maps failures to queue meaning: permanent → no retry (the channel was
 * unsubscribed); rate-limited → wait Retry-After without spending an attempt, the whole queue
 * only when the platform says the limit is global; anything else → retry with back-off.
 */
export function createDeliveryWorker(
  deps: DeliveryWorkerDeps,
): Worker<DeliverJob, DeliveryOutcome> {
  const worker: Worker<DeliverJob, DeliveryOutcome> = new Worker<DeliverJob, DeliveryOutcome>(
    QUEUE_NAMES.deliver(deps.platform),
    async (job, token) => {
      const data = deliverJobSchema.parse(job.data);
      try {
        if ('notice' in data) return await deliverNotice(deps, data.channel, data.notice);
        const outcome = await deliver(deps, data);
        if (outcome === 'channel-busy') {
          // The channel's current run may send this post too; look again shortly, no attempt spent.
          await job.moveToDelayed(Date.now() + 100 + Math.random() * 200, token);
          throw new DelayedError();
        }
        return outcome;
      } catch (error) {
        if (error instanceof DelayedError || !(error instanceof DeliveryError)) throw error;
        if (error.kind === 'permanent' || error.kind === 'unauthorized') {
          throw new UnrecoverableError(error.message);
        }
        if (error.kind === 'rate-limited') {
          const waitMs = Math.max(error.details.retryAfterMs ?? 1_000, 50);
          if (error.details.scope === 'global') {
            await worker.rateLimit(waitMs);
            throw Worker.RateLimitError();
          }
          await job.moveToDelayed(Date.now() + waitMs, token);
          throw new DelayedError();
        }
        throw error;
      }
    },
    {
      ...workerOptions(deps.connection, deps.prefix, deps.concurrency, deps.tuning),
      ...(deps.ratePerSecond ? { limiter: smoothLimiter(deps.ratePerSecond) } : {}),
    },
  );
  return worker;
}

/**
 * BullMQ's limiter counts jobs per window; one job per 1/rate seconds keeps any one-second
 * span of sends at the rate, where `rate` jobs per second could burst twice that across a
 * window boundary and earn 429s.
 */
export function smoothLimiter(ratePerSecond: number): { max: number; duration: number } {
  if (ratePerSecond >= 200) return { max: Math.floor(ratePerSecond / 10), duration: 100 };
  return { max: 1, duration: Math.ceil(1000 / ratePerSecond) };
}
