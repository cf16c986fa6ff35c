import { Worker } from 'bullmq';
import type { PostArchive } from '../src/archive.js';
import { fanOut, subscribedChannels, type FanOutDeps } from '../src/fan-out.js';
import type { Logger } from '../src/logger.js';
import type { SourceNotice } from '../src/news-message.js';
import type { ChannelRef } from '../src/subscription.js';
import { fanOutJobSchema, noticeJobSchema, type FanOutJob, type NoticeJob } from './payloads.js';
import { QUEUE_NAMES } from './queues.js';
import { workerOptions, type WorkerBase } from './worker-options.js';

export interface FanOutWorkerDeps extends FanOutDeps, WorkerBase {
  archive: Pick<PostArchive, 'get' | 'save'>;
  enqueueNoticeDeliveries: (notice: SourceNotice, channels: readonly ChannelRef[]) => Promise<void>;
  logger: Logger;
}

/**
 * Turns each batch of new posts into delivery jobs. Re-running it after a crash enqueues
 * nothing twice. One at a time per process keeps batches in the order they were found.
 */
export function createFanOutWorker(deps: FanOutWorkerDeps): Worker<FanOutJob | NoticeJob, number> {
  return new Worker<FanOutJob | NoticeJob, number>(
    QUEUE_NAMES.fanOut,
    async (job) => {
      if (job.name === 'notice') {
        const { notice } = noticeJobSchema.parse(job.data);
        const channels = await subscribedChannels(
          deps.subscriptions,
          notice.sourceId,
          deps.platforms,
        );
        await deps.enqueueNoticeDeliveries(notice, channels);
        deps.logger.info(
          { source: notice.sourceId, kind: notice.kind, channels: channels.length },
          'source notice fanned out',
        );
        return channels.length;
      }
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
    workerOptions(deps, 1),
  );
}
