import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeliveryTarget } from '../src/delivery-log.js';
import type { Post } from '../src/post.js';
import type { SourceNotice } from '../src/news-message.js';
import type { ChannelRef, Platform } from '../src/subscription.js';
import { jobIds } from './job-ids.js';
import type { DeliverJob, FanOutJob, NoticeJob, PollJob } from './payloads.js';

export const PLATFORMS: readonly Platform[] = ['slack', 'discord', 'console'];

/**
 * One delivery queue per platform, so each can have its own rate limit (Discord's global
 * 50 requests/s is enforced by BullMQ's limiter across every worker process).
 */
export const QUEUE_NAMES = {
  poll: 'poll',
  fanOut: 'fan-out',
  deliver: (platform: Platform) => `deliver-${platform}`,
} as const;

/** Finished jobs are kept a while for inspection and de-duplication, then trimmed. */
const KEEP: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export interface RetryPolicy {
  attempts: number;
  /** First back-off delay in ms; doubles each attempt. */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, backoffMs: 2_000 };

/** The pipeline's queues: poll → fan-out (one per batch of posts) → deliver (one per post and channel). */
export class PipelineQueues {
  readonly poll: Queue<PollJob>;
  readonly fanOut: Queue<FanOutJob | NoticeJob>;
  readonly deliver: Record<Platform, Queue<DeliverJob>>;

  constructor(
    connection: Redis,
    prefix: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    const opts = { connection, prefix };
    this.poll = new Queue<PollJob>(QUEUE_NAMES.poll, opts);
    this.fanOut = new Queue<FanOutJob | NoticeJob>(QUEUE_NAMES.fanOut, opts);
    this.deliver = {
      slack: new Queue<DeliverJob>(QUEUE_NAMES.deliver('slack'), opts),
      discord: new Queue<DeliverJob>(QUEUE_NAMES.deliver('discord'), opts),
      console: new Queue<DeliverJob>(QUEUE_NAMES.deliver('console'), opts),
    };
  }

  /** Polls the source every `everyMs`, once across all processes (one scheduler id per source). */
  async schedulePolling(sourceId: string, everyMs: number): Promise<void> {
    await this.poll.upsertJobScheduler(
      jobIds.pollScheduler(sourceId),
      { every: everyMs },
      {
        name: 'poll',
        data: { sourceId },
        opts: { ...KEEP, removeOnComplete: 100, removeOnFail: 100 },
      },
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
      { ...this.jobRetry(), ...KEEP, jobId: jobIds.fanOut(sourceId, boardNos) },
    );
  }

  /** Queues one delivery per target, in order; targets already queued keep their one job. */
  async enqueueDeliveries(targets: readonly DeliveryTarget[]): Promise<void> {
    await this.addPerPlatform(targets, (target) => ({
      name: 'deliver',
      data: target,
      jobId: jobIds.deliver(target),
    }));
  }

  /** Queues a notice about the source for every subscribed channel; once per outage and kind. */
  async enqueueNotice(notice: SourceNotice): Promise<void> {
    await this.fanOut.add(
      'notice',
      { notice },
      { ...this.jobRetry(), ...KEEP, jobId: jobIds.notice(notice) },
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

  /** Adds one job per item to its platform's delivery queue, in bulks of 500, keeping order. */
  private async addPerPlatform<T extends { channel: ChannelRef }>(
    items: readonly T[],
    toJob: (item: T) => { name: string; data: DeliverJob; jobId: string },
  ): Promise<void> {
    for (const platform of PLATFORMS) {
      const mine = items.filter((item) => item.channel.platform === platform);
      for (let i = 0; i < mine.length; i += 500) {
        await this.deliver[platform].addBulk(
          mine.slice(i, i + 500).map((item) => {
            const { name, data, jobId } = toJob(item);
            return { name, data, opts: { ...this.jobRetry(), ...KEEP, jobId } };
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
    return [this.poll, this.fanOut, ...PLATFORMS.map((p) => this.deliver[p])] as Queue[];
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((queue) => queue.close()));
  }

  private jobRetry(): Pick<JobsOptions, 'attempts' | 'backoff'> {
    return {
      attempts: this.retry.attempts,
      backoff: { type: 'exponential', delay: this.retry.backoffMs },
    };
  }
}
