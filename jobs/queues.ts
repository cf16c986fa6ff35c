import { randomUUID } from 'node:crypto';
import { Queue, type Job, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../adapters/redis/redis-connection.js';
import {
  JOB_STATES,
  type FailedJob,
  type QueueCounts,
  type QueueInspector,
} from '../src/ports/queue-inspector.js';
import type { DeliveryTarget } from '../src/ports/delivery-log.js';
import type { EditTarget } from '../src/pipeline/fan-out/correct-alerts.js';
import { correctionVersion } from '../src/pipeline/fan-out/correct-alerts.js';
import type { Post } from '../src/model/post.js';
import type { SourceNotice } from '../src/model/news-message.js';
import type { SourceOrigin } from '../src/ports/source-registry.js';
import type { ChannelRef } from '../src/model/subscription.js';
import { PLATFORM_IDS, type Platform } from '../src/platforms/platform-registry.js';
import { jobIds } from './job-ids.js';
import type { CorrectionJob, DeliverJob, FanOutJob, NoticeJob, PollJob } from './payloads.js';
import { CAPPED_BACKOFF, type RetryPolicy } from './retry-policy.js';

/**
 * One delivery queue per platform, so each can have its own rate limit (Discord's global
 * 50 requests/s is enforced by BullMQ's limiter across every worker process) and be paused
 * on its own while the platform refuses the bot's token.
 */
export const QUEUE_NAMES = {
  poll: 'poll',
  /** Chat-added sources' polls: their own lane, so they never hold up configured sources. */
  pollChat: 'poll-chat',
  fanOut: 'fan-out',
  maintenance: 'maintenance',
  deliver: (platform: Platform) => `deliver-${platform}`,
} as const;

/**
 * Finished jobs: a delivery leaves nothing behind once done (its record in the delivery log is
 * what prevents a repeat, at one bit per delivery); failed jobs are kept for inspection, at
 * most a thousand per queue.
 */
const KEEP_DELIVERY: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
};
const KEEP_FAN_OUT: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 24 * 3600, count: 100 },
  removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
};

/** The pipeline's queues: poll → fan-out (one per batch of posts) → deliver (one per post and channel). */
export class PipelineQueues implements QueueInspector {
  readonly poll: Queue<PollJob>;
  readonly pollChat: Queue<PollJob>;
  readonly fanOut: Queue<FanOutJob | NoticeJob | CorrectionJob>;
  readonly maintenance: Queue;
  readonly deliver: Record<Platform, Queue<DeliverJob>>;

  constructor(
    connection: RedisClient,
    prefix: string,
    private readonly retry: RetryPolicy,
  ) {
    // BullMQ keeps 10,000 events per queue by default (~1 MB for a delivery queue); the bot
    // reads none of them, a dashboard only the latest.
    const opts = { connection, prefix, streams: { events: { maxLen: 1_000 } } };
    this.poll = new Queue<PollJob>(QUEUE_NAMES.poll, opts);
    this.pollChat = new Queue<PollJob>(QUEUE_NAMES.pollChat, opts);
    this.fanOut = new Queue<FanOutJob | NoticeJob | CorrectionJob>(QUEUE_NAMES.fanOut, opts);
    this.maintenance = new Queue(QUEUE_NAMES.maintenance, opts);
    this.deliver = Object.fromEntries(
      PLATFORM_IDS.map((platform) => [
        platform,
        new Queue<DeliverJob>(QUEUE_NAMES.deliver(platform), opts),
      ]),
    ) as Record<Platform, Queue<DeliverJob>>;
  }

  /**
   * Polls the source every `everyMs`, once across all processes (one scheduler id per
   * source), in its origin's lane.
   */
  async schedulePolling(sourceId: string, everyMs: number, origin: SourceOrigin): Promise<void> {
    await this.pollLane(origin).upsertJobScheduler(
      jobIds.pollScheduler(sourceId),
      { every: everyMs },
      { name: 'poll', data: { sourceId }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  /** Stops polling the source (a chat-added source nobody follows any more), in either lane. */
  async stopPolling(sourceId: string): Promise<void> {
    await this.poll.removeJobScheduler(jobIds.pollScheduler(sourceId));
    await this.pollChat.removeJobScheduler(jobIds.pollScheduler(sourceId));
  }

  /**
   * The sources whose polls are scheduled, with the lane they are polled in and when the
   * scheduler runs the next poll (`null` when BullMQ does not say).
   */
  async scheduledPolls(): Promise<
    Array<{ name: string; origin: SourceOrigin; next: Date | null }>
  > {
    const prefix = jobIds.pollScheduler('');
    const lanes: SourceOrigin[] = ['config', 'chat'];
    const scheduled = await Promise.all(
      lanes.map(async (origin) =>
        (await this.pollLane(origin).getJobSchedulers(0, -1))
          .filter((scheduler) => scheduler.key.startsWith(prefix))
          .map((scheduler) => ({
            name: scheduler.key.slice(prefix.length),
            origin,
            next: scheduler.next === undefined ? null : new Date(scheduler.next),
          })),
      ),
    );
    return scheduled.flat();
  }

  /** The poll queue of a source of this origin. */
  pollLane(origin: SourceOrigin): Queue<PollJob> {
    return origin === 'chat' ? this.pollChat : this.poll;
  }

  /** Runs the sweep every `everyMs`, once across all processes. */
  async scheduleSweep(everyMs: number): Promise<void> {
    await this.maintenance.upsertJobScheduler(
      jobIds.sweepScheduler,
      { every: everyMs },
      { name: 'sweep', data: {}, opts: { removeOnComplete: 10, removeOnFail: 100 } },
    );
  }

  /** Queues the fan-out of new posts of one source (oldest first); a repeat is ignored. */
  async enqueueFanOut(posts: readonly Pick<Post, 'sourceId' | 'boardNo'>[]): Promise<void> {
    if (posts.length === 0) return;
    const sourceId = posts[0]!.sourceId;
    const boardNos = posts.map((p) => p.boardNo).sort((a, b) => a - b);
    await this.fanOut.add(
      'fan-out',
      { sourceId, boardNos },
      { ...this.jobRetry(), ...KEEP_FAN_OUT, jobId: jobIds.fanOut(sourceId, boardNos) },
    );
  }

  /**
   * Queues the edit of every alert about posts the source corrected (see `correctionVersion`);
   * the same correction seen twice is one job.
   */
  async enqueueCorrection(posts: readonly Post[]): Promise<void> {
    if (posts.length === 0) return;
    const sourceId = posts[0]!.sourceId;
    const boardNos = posts.map((p) => p.boardNo).sort((a, b) => a - b);
    const version = correctionVersion(posts);
    await this.fanOut.add(
      'correct',
      { sourceId, boardNos, version },
      {
        ...this.jobRetry(),
        ...KEEP_FAN_OUT,
        jobId: jobIds.correction(sourceId, boardNos, version),
      },
    );
  }

  /** Queues one edit per sent alert of a correction. */
  async enqueueEdits(edits: readonly EditTarget[], version: string): Promise<void> {
    await this.addPerPlatform(edits, (edit) => ({
      name: 'edit',
      data: edit,
      jobId: jobIds.edit(edit, version),
    }));
  }

  /**
   * Queues one edit per sent alert that a later carrier of its release adds to (see
   * `enrichmentVersion`); the same addition seen twice is one job per alert.
   */
  async enqueueEnrichments(edits: readonly EditTarget[], version: string): Promise<void> {
    await this.addPerPlatform(edits, (edit) => ({
      name: 'edit',
      data: { ...edit, reason: 'enrichment' as const },
      jobId: jobIds.edit(edit, `e${version}`),
    }));
  }

  /** Queues one delivery per target, in order; targets already queued keep their one job. */
  async enqueueDeliveries(targets: readonly DeliveryTarget[]): Promise<void> {
    await this.addPerPlatform(targets, (target) => ({
      name: 'deliver',
      data: target,
      jobId: jobIds.deliver(target),
    }));
  }

  /**
   * Queues the delivery of `target` again unless its job is still going to run: a job that
   * failed for good (or vanished) is replaced. True when a job was queued.
   */
  async requeueDelivery(target: DeliveryTarget): Promise<boolean> {
    const queue = this.deliver[target.channel.platform];
    const jobId = jobIds.deliver(target);
    // One hash read instead of getJobState, which scans the wait list: a sweep during a long
    // backlog checks thousands of channels against thousands of waiting jobs.
    const job = await queue.getJob(jobId);
    if (job && job.finishedOn === undefined) return false;
    if (job) await queue.remove(jobId);
    await queue.add('deliver', target, { ...this.jobRetry(), ...KEEP_DELIVERY, jobId });
    return true;
  }

  /**
   * Queues the delivery of `target` as a new job, whatever jobs exist for it: an operator's
   * resend. The delivery log still decides what is sent (only what is owed to the channel),
   * so the post must have been made owed again first; a second job for it sends nothing.
   * Returns the job's id.
   */
  async enqueueResend(target: DeliveryTarget): Promise<string> {
    const jobId = `resend-${jobIds.deliver(target)}-${randomUUID().slice(0, 8)}`;
    await this.deliver[target.channel.platform].add('resend', target, {
      ...this.jobRetry(),
      ...KEEP_DELIVERY,
      jobId,
    });
    return jobId;
  }

  /** Queues a notice about the source for every subscribed channel; once per outage and kind. */
  async enqueueNotice(notice: SourceNotice): Promise<void> {
    await this.fanOut.add(
      'notice',
      { notice },
      { ...this.jobRetry(), ...KEEP_FAN_OUT, jobId: jobIds.notice(notice) },
    );
  }

  /** Queues the notice's delivery to each channel. */
  async enqueueNoticeDeliveries(
    notice: SourceNotice,
    channels: readonly ChannelRef[],
  ): Promise<void> {
    await this.addPerPlatform(
      channels.map((channel) => ({ channel, notice })),
      (data) => ({ name: 'notice', data, jobId: jobIds.noticeDelivery(notice, data.channel) }),
    );
  }

  /**
   * Retries failed jobs of the fan-out queue and of the delivery queues' notices created
   * and edits after `since`: work that ran out of attempts (a long outage of Redis or a platform) gets
   * another round instead of being forgotten. Post deliveries are not here: the sweep finds
   * them by what is still owed. Returns how many were retried.
   */
  async retryFailed(since: Date, platforms: readonly Platform[]): Promise<number> {
    let retried = 0;
    const retryIn = async (queue: Queue, names: readonly string[]) => {
      // Newest failures first, a page at a time: a job created after `since` failed after it
      // too, so the walk stops at the first older failure instead of loading every failed
      // job of the queue each minute.
      for (let start = 0; ;) {
        const failed = (await queue.getFailed(start, start + 99)) as Job[];
        for (const job of failed) {
          if ((job.finishedOn ?? 0) < since.getTime()) return;
          if (!names.includes(job.name) || job.timestamp < since.getTime()) {
            start++; // a retried job leaves the failed set; one passed over stays in it
            continue;
          }
          await job.retry('failed');
          retried++;
        }
        if (failed.length < 100) return;
      }
    };
    await retryIn(this.fanOut, ['fan-out', 'notice', 'correct']);
    for (const platform of platforms) await retryIn(this.deliver[platform], ['notice', 'edit']);
    return retried;
  }

  /** Every queue's job counts by state, in the order of {@link all}. */
  async jobCounts(): Promise<QueueCounts[]> {
    return Promise.all(
      this.all().map(async (queue) => {
        const [counts, paused] = await Promise.all([
          queue.getJobCounts(...JOB_STATES),
          queue.isPaused(),
        ]);
        const byState = Object.fromEntries(
          JOB_STATES.map((state) => [state, counts[state] ?? 0]),
        ) as QueueCounts['counts'];
        return { queue: queue.name, paused, counts: byState };
      }),
    );
  }

  /**
   * The `limit` newest failed jobs across every queue, newest first, and how many failed jobs
   * there are in all. Reads at most `limit` jobs of each queue.
   */
  async failedJobs(limit: number): Promise<{ total: number; jobs: FailedJob[] }> {
    if (limit <= 0) return { total: await this.failedCount(), jobs: [] };
    const perQueue = await Promise.all(
      this.all().map(async (queue) => {
        // BullMQ returns failed jobs newest first (by when they failed).
        const failed = (await queue.getFailed(0, limit - 1)) as Job[];
        return failed.map((job) => failedSummary(queue.name, job));
      }),
    );
    const jobs = perQueue
      .flat()
      .sort((a, b) => (b.finishedOn ?? 0) - (a.finishedOn ?? 0))
      .slice(0, limit);
    return { total: await this.failedCount(), jobs };
  }

  /**
   * Moves these failed jobs back to waiting for another round of attempts. A job that is no
   * longer failed (retried meanwhile, removed by age) is passed over. Returns how many moved.
   */
  async retryJobs(jobs: ReadonlyArray<{ queue: string; id: string }>): Promise<number> {
    const queues = new Map(this.all().map((queue) => [queue.name, queue]));
    let retried = 0;
    for (const ref of jobs) {
      const queue = queues.get(ref.queue);
      const job = (await queue?.getJob(ref.id)) as Job | undefined;
      if (!queue || !job || (await job.getState()) !== 'failed') continue;
      await job.retry('failed');
      retried++;
    }
    return retried;
  }

  /** Stops every worker taking this platform's deliveries; what is queued waits. */
  async pauseDeliveries(platform: Platform): Promise<void> {
    await this.deliver[platform].pause();
  }

  async resumeDeliveries(platform: Platform): Promise<void> {
    await this.deliver[platform].resume();
  }

  /** Adds one job per item to its platform's delivery queue, in bulks of 500, keeping order. */
  private async addPerPlatform<T extends { channel: ChannelRef }>(
    items: readonly T[],
    toJob: (item: T) => { name: string; data: DeliverJob; jobId: string },
  ): Promise<void> {
    for (const platform of PLATFORM_IDS) {
      const mine = items.filter((item) => item.channel.platform === platform);
      for (let i = 0; i < mine.length; i += 500) {
        await this.deliver[platform].addBulk(
          mine.slice(i, i + 500).map((item) => {
            const { name, data, jobId } = toJob(item);
            return { name, data, opts: { ...this.jobRetry(), ...KEEP_DELIVERY, jobId } };
          }),
        );
      }
    }
  }

  /** Routes connection errors of every queue (a Redis restart) to one handler instead of stderr. */
  onError(handler: (error: Error) => void): this {
    for (const queue of this.all()) queue.on('error', handler);
    return this;
  }

  /** Every queue, for draining and closing. */
  all(): Queue[] {
    return [
      this.poll,
      this.pollChat,
      this.fanOut,
      ...PLATFORM_IDS.map((p) => this.deliver[p]),
      this.maintenance,
    ] as Queue[];
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((queue) => queue.close()));
  }

  private async failedCount(): Promise<number> {
    const counts = await Promise.all(this.all().map((queue) => queue.getFailedCount()));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  private jobRetry(): Pick<JobsOptions, 'attempts' | 'backoff'> {
    return {
      attempts: this.retry.attempts,
      backoff: { type: CAPPED_BACKOFF, delay: this.retry.backoffMs },
    };
  }
}

function failedSummary(queue: string, job: Job): FailedJob {
  return {
    queue,
    id: job.id ?? '',
    name: job.name,
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? null,
    failedReason: job.failedReason ?? '',
    finishedOn: job.finishedOn ?? null,
    data: job.data,
  };
}
