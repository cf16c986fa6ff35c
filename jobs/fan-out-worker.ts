import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PostArchive } from '../src/archive.js';
import { fanOut, type FanOutDeps } from '../src/fan-out.js';
import type { Logger } from '../src/logger.js';
import { fanOutJobSchema, type FanOutJob } from './payloads.js';
import { QUEUE_NAMES } from './queues.js';
import { workerOptions, type WorkerTuning } from './worker-options.js';

export interface FanOutWorkerDeps extends FanOutDeps {
  connection: Redis;
  prefix: string;
  tuning?: WorkerTuning;
  archive: Pick<PostArchive, 'get'>;
  logger: Logger;
}

/**
 * Turns each batch of new posts into delivery jobs. Re-running it after a crash enqueues
 * nothing twice. One at a time per process keeps batches in the order they were found.
 */
export function createFanOutWorker(deps: FanOutWorkerDeps): Worker<FanOutJob, number> {
  return new Worker<FanOutJob, number>(
    QUEUE_NAMES.fanOut,
    async (job) => {
      const { sourceId, boardNos } = fanOutJobSchema.parse(job.data);
      const posts = [];
      for (const boardNo of boardNos) {
        const post = await deps.archive.get(sourceId, boardNo);
        if (!post) throw new Error(`post ${sourceId}/${boardNo} is not in the archive`);
        posts.push(post);
      }
      const queued = await fanOut(deps, posts);
      deps.logger.info({ source: sourceId, boardNos, deliveries: queued }, 'alerts fanned out');
      return queued;
    },
    workerOptions(deps.connection, deps.prefix, 1, deps.tuning),
  );
}
