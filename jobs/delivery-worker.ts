import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import {
  editAlert,
  type EditDeps,
  type EditOutcome,
} from '../src/pipeline/fan-out/correct-alerts.js';
import { deliver, deliverNotice } from '../src/pipeline/deliver/deliver.js';
import type { DeliverDeps, DeliveryOutcome } from '../src/pipeline/deliver/deliver-deps.js';
import { DeliveryError } from '../src/ports/notifier.js';
import type { Platform } from '../src/platforms/platform-registry.js';
import { deliverJobSchema, type DeliverJob } from './payloads.js';
import { QUEUE_NAMES } from './queues.js';
import { workerOptions, type WorkerBase } from './worker-options.js';

export interface DeliveryWorkerDeps extends DeliverDeps, WorkerBase {
  /** Deliveries in flight at once in this process; channels never wait on each other beyond it. */
  concurrency: number;
  platform: Platform;
  /** Deliveries per second across every worker of this platform (a platform-wide API limit). */
  ratePerSecond?: number;
  /**
   * How long a job of a workspace whose token was refused (see `SlackWorkspaceClients`) waits
   * before it looks again (default 15 s).
   */
  pausedWorkspaceRecheckMs?: number;
  /** What edits of sent alerts need (a correction at the source). */
  edits: Pick<EditDeps, 'archive' | 'sentMessages'>;
}

/**
 * How long a job that met a paused platform waits before it looks again; by then the queue is
 * paused and it waits there, taken by no worker, until the platform is resumed.
 */
const PAUSED_RECHECK_MS = 1_000;
/** A job that saw the pause only in the shared state (another process paused the platform). */
const PAUSED_ELSEWHERE_RECHECK_MS = 5_000;

/**
 * Delivers alerts and maps outcomes and failures to queue meaning: permanent → no retry (the
 * channel was unsubscribed); refused token → the platform's queue is paused and the job waits
 * in it, no attempt spent; rate-limited → wait Retry-After without spending an attempt, the
 * whole queue only when the platform says the limit is global; anything else → retry with
 * capped back-off. A job that runs out of attempts leaves its post owed: the sweep queues it
 * again.
 */
export function createDeliveryWorker(
  deps: DeliveryWorkerDeps,
): Worker<DeliverJob, DeliveryOutcome | EditOutcome> {
  const wait = async (job: Job, token: string | undefined, ms: number): Promise<never> => {
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  };
  const editDeps: EditDeps = { ...deps, ...deps.edits };
  const worker: Worker<DeliverJob, DeliveryOutcome | EditOutcome> = new Worker<
    DeliverJob,
    DeliveryOutcome | EditOutcome
  >(
    QUEUE_NAMES.deliver(deps.platform),
    async (job: Job<DeliverJob>, token) => {
      const data = deliverJobSchema.parse(job.data);
      try {
        const outcome =
          'notice' in data
            ? await deliverNotice(deps, data.channel, data.notice)
            : 'messageId' in data
              ? await editAlert(editDeps, data)
              : await deliver(deps, data);
        // The channel's current run may send this post too; look again shortly, no attempt spent.
        if (outcome === 'channel-busy') return await wait(job, token, 100 + Math.random() * 200);
        if (outcome === 'platform-paused') {
          return await wait(job, token, PAUSED_ELSEWHERE_RECHECK_MS);
        }
        return outcome;
      } catch (error) {
        if (error instanceof DelayedError || !(error instanceof DeliveryError)) throw error;
        if (error.kind === 'permanent') throw new UnrecoverableError(error.message);
        // The gate has paused the platform's queue: this job waits in it until a probe succeeds.
        if (error.kind === 'unauthorized') {
          // One workspace's token refused: its jobs look again now and then (a reinstall may
          // have cleared the pause), and one of them per probe interval probes the token.
          const ms =
            error.details.scope === 'workspace'
              ? (deps.pausedWorkspaceRecheckMs ?? 15_000)
              : PAUSED_RECHECK_MS;
          return await wait(job, token, ms);
        }
        if (error.kind === 'rate-limited') {
          const waitMs = Math.max(error.details.retryAfterMs ?? 1_000, 50);
          if (error.details.scope === 'global') {
            await worker.rateLimit(waitMs);
            throw Worker.RateLimitError();
          }
          return await wait(job, token, waitMs);
        }
        throw error;
      }
    },
    {
      ...workerOptions(deps, deps.concurrency),
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
