import { Worker } from 'bullmq';
import { withRedisLock } from '../adapters/redis/redis-lock.js';
import { SourceError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { NO_PIPELINE_METRICS, type PipelineMetrics } from '../src/pipeline-metrics.js';
import { pollSource, type PollDeps, type PollOutcome } from '../src/poll-source.js';
import type { NewsSource } from '../src/source.js';
import { pollJobSchema, type PollJob } from './payloads.js';
import { QUEUE_NAMES } from './queues.js';
import { workerOptions, type WorkerBase } from './worker-options.js';

export interface PollWorkerDeps extends Omit<PollDeps, 'source'>, WorkerBase {
  /** The source to read for a poll job, or null for one that is not (any more) in the registry. */
  resolveSource: (sourceId: string) => Promise<NewsSource | null>;
  /** Lock key for one source's poll, shared by every process. */
  lockKey: (sourceId: string) => string;
  /** Longest a poll may hold its lock (a crashed holder frees it after this). */
  lockTtlMs: number;
  /** Told how each poll job ended and how long the source took (default: nothing reported). */
  metrics?: PipelineMetrics;
}

export type PollResult = PollOutcome | { status: 'busy' } | { status: 'unknown-source' };

/** The poll results that sent a request to the source (a deferred poll sends none). */
const SOURCE_ASKED: ReadonlySet<PollResult['status']> = new Set([
  'read',
  'initialized',
  'not-modified',
]);

/** Runs scheduled polls; a Redis lock keeps one poll of a source at a time across all workers. */
export function createPollWorker(deps: PollWorkerDeps): Worker<PollJob, PollResult> {
  const metrics = deps.metrics ?? NO_PIPELINE_METRICS;
  return new Worker<PollJob, PollResult>(
    QUEUE_NAMES.poll,
    async (job) => {
      const { sourceId } = pollJobSchema.parse(job.data);
      const started = performance.now();
      const elapsed = () => performance.now() - started;
      let result: PollResult;
      try {
        result = await runPoll(deps, sourceId);
      } catch (error) {
        metrics.poll({ source: sourceId, result: 'failed', durationMs: elapsed() });
        throw error;
      }
      metrics.poll({
        source: sourceId,
        result: result.status,
        // Only polls that asked the source are timed: the near-zero rest would hide slow sources.
        ...(SOURCE_ASKED.has(result.status) ? { durationMs: elapsed() } : {}),
      });
      return result;
    },
    workerOptions(deps, 1),
  );
}

/** One poll job: the source's poll, under the lock that keeps it one at a time. */
async function runPoll(deps: PollWorkerDeps, sourceId: string): Promise<PollResult> {
  const { logger } = deps;
  const source = await deps.resolveSource(sourceId);
  if (!source) {
    logger.warn({ source: sourceId }, 'poll for a source that is not configured here; ignored');
    return { status: 'unknown-source' };
  }
  const run = await withRedisLock(deps.connection, deps.lockKey(sourceId), deps.lockTtlMs, () =>
    pollSource({ ...deps, source, logger }),
  );
  if (!run.acquired) {
    logger.debug({ source: sourceId }, 'another worker is polling this source; skipped');
    return { status: 'busy' };
  }
  return run.value;
}

export function logPollFailures(worker: Worker<PollJob, PollResult>, logger: Logger): void {
  worker.on('failed', (job, error) => {
    // A source failing is expected now and then: its code and message say it all.
    const detail =
      error instanceof SourceError
        ? { code: error.code, url: error.url, reason: error.message }
        : { err: error };
    logger.error(
      { source: job?.data.sourceId, ...detail },
      'poll failed; the cursor stays where it was',
    );
  });
}
