import { Worker } from 'bullmq';
import { withRedisLock } from '../adapters/redis/redis-lock.js';
import { SourceError } from '../src/model/source-error.js';
import type { Logger } from '../src/util/logger.js';
import { NO_PIPELINE_METRICS, type PipelineMetrics } from '../src/ports/pipeline-metrics.js';
import { pollSource } from '../src/pipeline/poll/poll-source.js';
import { type PollDeps, type PollOutcome } from '../src/pipeline/poll/poll-types.js';
import type { NewsSource } from '../src/ports/news-source.js';
import type { SourceOrigin } from '../src/ports/source-registry.js';
import { pollJobSchema, type PollJob } from './payloads.js';
import { QUEUE_NAMES } from './queues.js';
import { workerOptions, type WorkerBase } from './worker-options.js';

/** How one source is polled: what its origin allows (see `OriginPolicy`). */
export type PollPolicy = Pick<
  PollDeps,
  'retention' | 'maxSeenItems' | 'timeBudgetMs' | 'slowAfterMs' | 'rhythm'
>;

export interface PollWorkerDeps extends Omit<PollDeps, 'source' | keyof PollPolicy>, WorkerBase {
  /** Which poll queue this worker takes: configured sources', or chat-added ones'. */
  lane: SourceOrigin;
  /** Polls of the lane run at once in this process (each source still one at a time). */
  concurrency: number;
  /**
   * The source to read for a poll job and how, or null for one that is not (any more) in
   * the registry (released: it is not read).
   */
  resolveSource: (sourceId: string) => Promise<{ source: NewsSource; policy: PollPolicy } | null>;
  /** Lock key for one source's poll, shared by every process. */
  lockKey: (sourceId: string) => string;
  /** Longest a poll may hold its lock (a crashed holder frees it after this). */
  lockTtlMs: number;
  /** Told how each poll job ended and how long the source took (default: nothing reported). */
  metrics?: PipelineMetrics;
}

export type PollResult = PollOutcome | { status: 'busy' } | { status: 'unknown-source' };

/** The poll results that sent a request to the source (a deferred or not-due poll sends none). */
const SOURCE_ASKED: ReadonlySet<PollResult['status']> = new Set([
  'read',
  'initialized',
  'not-modified',
]);

/**
 * Runs scheduled polls of one lane, several at once; a Redis lock keeps one poll of a source
 * at a time across all workers. Configured and chat-added sources each have their own lane
 * (queue and concurrency), so no number of slow chat-added feeds delays a configured source.
 */
export function createPollWorker(deps: PollWorkerDeps): Worker<PollJob, PollResult> {
  const metrics = deps.metrics ?? NO_PIPELINE_METRICS;
  return new Worker<PollJob, PollResult>(
    deps.lane === 'chat' ? QUEUE_NAMES.pollChat : QUEUE_NAMES.poll,
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
    workerOptions(deps, deps.concurrency),
  );
}

/** One poll job: the source's poll, under the lock that keeps it one at a time. */
async function runPoll(deps: PollWorkerDeps, sourceId: string): Promise<PollResult> {
  const { logger } = deps;
  const resolved = await deps.resolveSource(sourceId);
  if (!resolved) {
    logger.info({ source: sourceId }, 'poll for a source that is not read any more; ignored');
    return { status: 'unknown-source' };
  }
  const { source, policy } = resolved;
  const run = await withRedisLock(deps.connection, deps.lockKey(sourceId), deps.lockTtlMs, () =>
    pollSource({ ...deps, ...policy, source, logger }),
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
