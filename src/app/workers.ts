import type { Worker } from 'bullmq';
import type { RedisClient } from '../../adapters/redis/redis-connection.js';
import type { RedisKeys } from '../../adapters/redis/redis-keys.js';
import { createDeliveryWorker } from '../../jobs/delivery-worker.js';
import { createFanOutWorker } from '../../jobs/fan-out-worker.js';
import { createMaintenanceWorker } from '../../jobs/maintenance-worker.js';
import type { QueuePlatformGate } from '../../jobs/platform-gate.js';
import { createPollWorker, logPollFailures, type PollPolicy } from '../../jobs/poll-worker.js';
import type { PipelineQueues } from '../../jobs/queues.js';
import { deliveryRate, PLATFORM_IDS } from '../platforms/platform-registry.js';
import type { RetryPolicy } from '../../jobs/retry-policy.js';
import type { WorkerTuning } from '../../jobs/worker-options.js';
import type { PostArchive } from '../ports/post-archive.js';
import type { ReleaseClaims } from '../ports/release-claims.js';
import type { ReleaseDeps } from '../pipeline/deliver/release-turn.js';
import type { SourceStateStore } from '../ports/source-state-store.js';
import type { ChannelScheduleStore } from '../ports/channel-schedule-store.js';
import type { Config } from '../config/config.js';
import { rhythmOf } from '../config/config-polling.js';
import type { DestinationStore } from '../ports/destination-store.js';
import type { DeliveryLog } from '../ports/delivery-log.js';
import type { Logger } from '../util/logger.js';
import type { Notifier } from '../ports/notifier.js';
import type { PipelineMetrics } from '../ports/pipeline-metrics.js';
import type { PlatformStatusStore } from '../ports/platform-status-store.js';
import type { SentMessageStore } from '../ports/sent-message-store.js';
import { cachedPostReader } from '../sources/post-cache.js';
import type { SourceDirectory } from '../sources/source-directory.js';
import type { ItemNumbers } from '../ports/item-numbers.js';
import type { SourceOrigin, SourceRegistry } from '../ports/source-registry.js';
import type { Platform } from '../platforms/platform-registry.js';
import type { SubscriptionStore } from '../ports/subscription-store.js';

/** Part of the composition root: what the worker role runs. */
export interface WorkerParts {
  config: Config;
  logger: Logger;
  connection: RedisClient;
  keys: RedisKeys;
  retry: RetryPolicy;
  tuning: WorkerTuning & { channelLockTtlMs?: number };
  sources: SourceDirectory;
  registry: SourceRegistry;
  itemNumbers: ItemNumbers;
  archive: PostArchive;
  states: SourceStateStore;
  subscriptions: SubscriptionStore;
  deliveryLog: DeliveryLog;
  platformStates: PlatformStatusStore;
  gate: QueuePlatformGate;
  queues: PipelineQueues;
  notifiers: ReadonlyMap<Platform, Notifier>;
  /** Told of every poll and delivery attempt, for `GET /metrics`. */
  metrics: PipelineMetrics;
  schedules: ChannelScheduleStore;
  sentMessages: SentMessageStore;
  /** Which carrier's alert shows each press release in each channel (one alert per release). */
  releaseClaims: ReleaseClaims;
  /** Webhook destinations' breaks: a gone one is marked broken and waited for. */
  destinations: Pick<DestinationStore, 'brokenSince' | 'markBroken' | 'markWorking' | 'claimProbe'>;
  /**
   * The clock of polls (back-off, Retry-After, outage and staleness notices), fan-out,
   * deliveries and the sweep (when digests and quiet hours release posts).
   */
  now?: () => Date;
}

/**
 * Starts the poll, fan-out, delivery and maintenance workers. Only the platforms this process
 * has a notifier for get a delivery worker here; the fan-out and the sweep queue the jobs of
 * every platform, which wait in their queue for a process that has the platform's token.
 */
export function startWorkers(parts: WorkerParts): Worker[] {
  const { config, logger, queues, keys, notifiers } = parts;
  const base = {
    connection: parts.connection,
    prefix: config.keyPrefix,
    retry: parts.retry,
    tuning: parts.tuning,
  };
  const platforms = new Set(notifiers.keys());

  // One poll worker per lane: chat-added sources never wait behind configured ones, nor
  // the other way round.
  const pollWorkers = (['config', 'chat'] as const).map((lane) => {
    const policy = config.sourcePolicy[lane];
    const worker = createPollWorker({
      ...base,
      lane,
      concurrency: policy.pollConcurrency,
      resolveSource: async (name) => {
        const record = await parts.sources.get(name);
        const source = record && (await parts.sources.open(name));
        return record && source ? { source, policy: pollPolicy(config, record) } : null;
      },
      archive: parts.archive,
      states: parts.states,
      announce: (posts) => queues.enqueueFanOut(posts),
      announceCorrections: (posts) => queues.enqueueCorrection(posts),
      announceNotice: (notice) => queues.enqueueNotice(notice),
      outageNoticeAfterMs: config.sourceAlertAfterMs,
      itemNumbers: parts.itemNumbers,
      maxAgeMs: config.sourceMaxAgeMs,
      pollIntervalMs: config.pollIntervalMs,
      staleAfterMs: config.sourceStaleAfterMs,
      // What a read learnt (the feed's or board's title, its kind) names the source in chat.
      onRead: ({ sourceId, title, kind }) =>
        parts.registry.describe(sourceId, { displayName: title, kind }),
      logger,
      lockKey: (sourceId) => keys.lock(`poll-${sourceId}`),
      // A poll killed mid-way never blocks the next scheduled one for long.
      lockTtlMs: Math.max(config.pollIntervalMs, policy.pollTimeBudgetMs + 30_000),
      metrics: parts.metrics,
      ...(parts.now ? { now: parts.now } : {}),
    });
    logPollFailures(worker, logger);
    return worker;
  });

  const fanOutWorker = createFanOutWorker({
    ...base,
    archive: parts.archive,
    subscriptions: parts.subscriptions,
    deliveryLog: parts.deliveryLog,
    enqueueDeliveries: (targets) => queues.enqueueDeliveries(targets),
    enqueueNoticeDeliveries: (notice, channels) => queues.enqueueNoticeDeliveries(notice, channels),
    sentMessages: parts.sentMessages,
    enqueueEdits: (edits, version) => queues.enqueueEdits(edits, version),
    logger,
    ...(parts.now ? { now: parts.now } : {}),
  });

  const postReader = cachedPostReader(parts.archive);
  const releases: ReleaseDeps = {
    claims: parts.releaseClaims,
    // Read directly: a carrier archived a moment ago must count.
    archive: parts.archive,
    follows: async (channel, sourceId) =>
      (await parts.subscriptions.get(sourceId, channel)) !== null,
    sentMessages: parts.sentMessages,
    enqueueEnrichments: (edits, version) => queues.enqueueEnrichments(edits, version),
    logger,
  };
  const deliveryWorkers = [...platforms].map((platform) => {
    const worker = createDeliveryWorker({
      ...base,
      platform,
      concurrency: config.deliveryConcurrency,
      // Each platform's section says whether its queue is limited here (see `deliveryRate`).
      ...rateOption(deliveryRate(platform, config)),
      // A workspace's paused jobs look again as often as its token may be probed (≤ 15 s).
      pausedWorkspaceRecheckMs: Math.min(config.probeIntervalMs, 15_000),
      archive: postReader,
      deliveryLog: parts.deliveryLog,
      subscriptions: parts.subscriptions,
      notifiers,
      platforms: parts.gate,
      giveUpAfterMs: config.delivery.giveUpAfterMs,
      sourceIds: () => parts.sources.names(),
      // A channel gone for good may release a chat-added source it was the last to follow.
      sourceReleased: (sourceId) => parts.sources.released(sourceId),
      sourceLabel: (name) => parts.sources.labelOf(name),
      channelTurnTtlMs: parts.tuning.channelLockTtlMs ?? 60_000,
      logger,
      metrics: parts.metrics,
      schedules: parts.schedules,
      sentMessages: parts.sentMessages,
      destinations: parts.destinations,
      // A broken destination is tried again ten times as seldom as a paused platform's token.
      destinationProbeIntervalMs: config.probeIntervalMs * 10,
      releases,
      // Edits read the archive itself: the post cache may still hold the title before the correction.
      edits: { archive: parts.archive, sentMessages: parts.sentMessages },
      ...(parts.now ? { now: parts.now } : {}),
    });
    worker.on('failed', (job, error) => {
      logger.warn(
        { platform, job: job?.id, attempts: job?.attemptsMade, err: error.message },
        'delivery failed',
      );
    });
    return worker;
  });

  const maintenanceWorker = createMaintenanceWorker({
    ...base,
    logger,
    probe: {
      notifiers,
      store: parts.platformStates,
      gate: parts.gate,
      probeIntervalMs: config.probeIntervalMs,
      logger,
    },
    tidySources: async () => {
      await parts.sources.syncPolling({ refresh: false });
      return (await parts.sources.purgeReleased()).length;
    },
    sweep: {
      deliveryLog: parts.deliveryLog,
      requeueDelivery: (target) => queues.requeueDelivery(target),
      retryFailed: (since) => queues.retryFailed(since, PLATFORM_IDS),
      minAgeMs: config.sweepIntervalMs,
      giveUpAfterMs: config.delivery.giveUpAfterMs,
      schedules: parts.schedules,
      logger,
      ...(parts.now ? { now: parts.now } : {}),
    },
  });

  const workers = [...pollWorkers, fanOutWorker, ...deliveryWorkers, maintenanceWorker] as Worker[];
  for (const worker of workers) {
    worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
  }
  return workers;
}

/**
 * How a source is polled: its origin's archive, seen items, time budget and patience, and its
 * rhythm (busy and quiet intervals).
 */
function pollPolicy(config: Config, source: { name: string; origin: SourceOrigin }): PollPolicy {
  const policy = config.sourcePolicy[source.origin];
  return {
    rhythm: rhythmOf(config.pollRhythms, source.name, source.origin),
    retention: policy.retention,
    maxSeenItems: policy.maxSeenItems,
    timeBudgetMs: policy.pollTimeBudgetMs,
    ...(policy.slowAfterMs === null ? {} : { slowAfterMs: policy.slowAfterMs }),
  };
}

/** BullMQ's limiter option for a rate, none for `null` (or 0: no limit of the bot's own). */
function rateOption(rate: number | null): { ratePerSecond?: number } {
  return rate === null ? {} : { ratePerSecond: rate };
}
