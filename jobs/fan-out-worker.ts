import { Worker } from 'bullmq';
import type { PostArchive } from '../src/ports/post-archive.js';
import { alertsToEdit, type EditTarget } from '../src/pipeline/fan-out/correct-alerts.js';
import type { SentMessageStore } from '../src/ports/sent-message-store.js';
import { fanOut, subscribedChannels, type FanOutDeps } from '../src/pipeline/fan-out/fan-out.js';
import type { Logger } from '../src/util/logger.js';
import type { SourceNotice } from '../src/model/news-message.js';
import type { ChannelRef } from '../src/model/subscription.js';
import {
  correctionJobSchema,
  fanOutJobSchema,
  noticeJobSchema,
  type CorrectionJob,
  type FanOutJob,
  type NoticeJob,
} from './payloads.js';
import { QUEUE_NAMES } from './queues.js';
import { workerOptions, type WorkerBase } from './worker-options.js';

export interface FanOutWorkerDeps extends FanOutDeps, WorkerBase {
  archive: Pick<PostArchive, 'get' | 'save'>;
  enqueueNoticeDeliveries: (notice: SourceNotice, channels: readonly ChannelRef[]) => Promise<void>;
  /** Where alerts went, to edit them after a correction. */
  sentMessages: Pick<SentMessageStore, 'list'>;
  enqueueEdits: (edits: readonly EditTarget[], version: string) => Promise<void>;
  logger: Logger;
}

type FanOutQueueJob = FanOutJob | NoticeJob | CorrectionJob;

/**
 * Turns each batch of new posts into delivery jobs, each notice into one job per channel,
 * and each correction into one edit per alert sent. Re-running it after a crash enqueues
 * nothing twice. One at a time per process keeps batches in the order they were found.
 */
export function createFanOutWorker(deps: FanOutWorkerDeps): Worker<FanOutQueueJob, number> {
  return new Worker<FanOutQueueJob, number>(
    QUEUE_NAMES.fanOut,
    async (job) => {
      if (job.name === 'correct') {
        const { sourceId, boardNos, version } = correctionJobSchema.parse(job.data);
        const edits = await alertsToEdit(deps.sentMessages, sourceId, boardNos);
        if (edits.length === 0) {
          deps.logger.debug(
            { source: sourceId, boardNos },
            'corrected posts have no alert left to edit (sent before CORRECTION_WINDOW, in a ' +
              'digest, or to nobody)',
          );
          return 0;
        }
        await deps.enqueueEdits(edits, version);
        deps.logger.info(
          { source: sourceId, boardNos, alerts: edits.length },
          'corrected posts: their alerts will be edited',
        );
        return edits.length;
      }
      if (job.name === 'notice') {
        const { notice } = noticeJobSchema.parse(job.data);
        const channels = await subscribedChannels(deps.subscriptions, notice.sourceId);
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
