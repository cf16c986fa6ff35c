import { Redis, type RedisOptions } from 'ioredis';
import { HttpServer, healthRoute } from '../adapters/http/http-server.js';
import { RedisDeliveryLog } from '../adapters/redis/redis-delivery-log.js';
import { RedisKeys } from '../adapters/redis/redis-keys.js';
import { RedisPostArchive } from '../adapters/redis/redis-post-archive.js';
import { RedisSourceStateStore } from '../adapters/redis/redis-source-state.js';
import { RedisSubscriptionStore } from '../adapters/redis/redis-subscription-store.js';
import type { FetchOptions } from '../adapters/sources/http-fetcher.js';
import { UrlSource } from '../adapters/sources/url-source.js';
import { createDeliveryWorker } from '../jobs/delivery-worker.js';
import { createFanOutWorker } from '../jobs/fan-out-worker.js';
import { createPollWorker, logPollFailures } from '../jobs/poll-worker.js';
import { PipelineQueues, type RetryPolicy } from '../jobs/queues.js';
import type { WorkerTuning } from '../jobs/worker-options.js';
import { buildNotifiers, startChatFrontends } from './app-chat.js';
import { CommandService } from './commands/command-service.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { DeliveryError, type Notifier } from './notifier.js';
import { redactUrl } from './errors.js';
import { cachedPostReader } from './post-cache.js';
import type { NewsSource } from './source.js';
import type { Platform } from './subscription.js';

/** What this process does; `all` is everything in one process. */
export type Role = 'all' | 'scheduler' | 'worker' | 'web';
export const ROLES: readonly Role[] = ['all', 'scheduler', 'worker', 'web'];

/** The channel alerts go to when no chat platform is configured. */
export const CONSOLE_CHANNEL = {
  platform: 'console',
  workspaceId: 'local',
  channelId: 'console',
} as const;

export interface AppOptions {
  config: Config;
  logger: Logger;
  role?: Role;
  /** Overrides for tests and the demo. */
  source?: NewsSource;
  notifiers?: Notifier[];
  fetchOptions?: Partial<FetchOptions>;
  retry?: RetryPolicy;
  tuning?: WorkerTuning & {
    /** How long a channel's delivery lock outlives a crashed holder (default 60 s). */
    channelLockTtlMs?: number;
  };
}

export interface App {
  /** The HTTP server's address, when this role serves HTTP. */
  readonly address: { host: string; port: number } | null;
  close(): Promise<void>;
}

/**
 * The composition root: builds every part from the configuration and starts what `role` asks
 * for. Every part is closed in reverse order; in-flight jobs finish first.
 */
export async function startApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const role = options.role ?? 'all';
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) {
      await closer().catch((error: unknown) => logger.error({ err: error }, 'error while closing'));
    }
  };

  try {
    // Two connections: BullMQ's, and the stores' with auto-pipelining, which sends the
    // commands of concurrent deliveries issued in one tick as one write.
    const redis = await connectRedis(config.redisUrl, logger, { maxRetriesPerRequest: null });
    closers.push(() => redis.quit());
    const storeRedis = await connectRedis(config.redisUrl, logger, {
      maxRetriesPerRequest: null,
      enableAutoPipelining: true,
    });
    closers.push(() => storeRedis.quit());

    const keys = new RedisKeys(config.queuePrefix);
    const archive = new RedisPostArchive(storeRedis, keys);
    const states = new RedisSourceStateStore(storeRedis, keys);
    const subscriptions = new RedisSubscriptionStore(storeRedis, keys);
    const deliveryLog = new RedisDeliveryLog(storeRedis, keys);
    const source =
      options.source ??
      new UrlSource(config.feedUrl, {
        timeoutMs: config.fetchTimeoutMs,
        maxBytes: config.fetchMaxBytes,
        retries: 2,
        retryDelayMs: 1_000,
        userAgent: config.userAgent,
        ...options.fetchOptions,
      });
    const queues = new PipelineQueues(redis, config.queuePrefix, options.retry).onError((error) =>
      logger.warn({ err: error.message }, 'queue connection error'),
    );
    closers.push(() => queues.close());

    const notifiers = new Map<Platform, Notifier>();
    for (const notifier of options.notifiers ?? buildNotifiers(config, logger)) {
      notifiers.set(notifier.platform, notifier);
    }
    await verifyNotifiers([...notifiers.values()], logger);
    const chatConfigured = [...notifiers.keys()].some((p) => p !== 'console');
    if (!chatConfigured && (await subscriptions.get(CONSOLE_CHANNEL)) === null) {
      await subscriptions.subscribe({
        ...CONSOLE_CHANNEL,
        keywords: [],
        createdAt: new Date().toISOString(),
      });
      logger.info('no chat platform configured: alerts are printed to the console');
    }

    if (role === 'all' || role === 'worker') {
      const pollWorker = createPollWorker({
        connection: redis,
        prefix: config.queuePrefix,
        tuning: options.tuning ?? {},
        sources: new Map([[source.id, source]]),
        archive,
        states,
        announce: (posts) => queues.enqueueFanOut(posts),
        announceNotice: (notice) => queues.enqueueNotice(notice),
        outageNoticeAfterMs: config.sourceAlertAfterMs,
        logger,
        lockKey: (sourceId) => keys.lock(`poll-${sourceId}`),
        // One interval at most: a poll killed mid-way never blocks the next scheduled one.
        lockTtlMs: Math.max(config.pollIntervalMs, 30_000),
      });
      logPollFailures(pollWorker, logger);
      const fanOutWorker = createFanOutWorker({
        connection: redis,
        prefix: config.queuePrefix,
        tuning: options.tuning ?? {},
        archive,
        subscriptions,
        deliveryLog,
        enqueueDeliveries: (targets) => queues.enqueueDeliveries(targets),
        enqueueNoticeDeliveries: (notice, channels) =>
          queues.enqueueNoticeDeliveries(notice, channels),
        logger,
      });
      // One delivery worker per configured platform; a platform without a notifier keeps its
      // jobs queued until it is configured, instead of failing them.
      const postReader = cachedPostReader(archive);
      const deliveryWorkers = [...notifiers.keys()].map((platform) => {
        const worker = createDeliveryWorker({
          connection: redis,
          prefix: config.queuePrefix,
          tuning: options.tuning ?? {},
          platform,
          concurrency: config.deliveryConcurrency,
          ...(platform !== 'console' ? { ratePerSecond: config.rateLimits[platform] } : {}),
          archive: postReader,
          deliveryLog,
          subscriptions,
          notifiers,
          channelTurnTtlMs: options.tuning?.channelLockTtlMs ?? 60_000,
          logger,
        });
        worker.on('failed', (job, error) => {
          logger.warn(
            { platform, job: job?.id, attempts: job?.attemptsMade, err: error.message },
            'delivery failed',
          );
        });
        return worker;
      });
      for (const worker of [pollWorker, fanOutWorker, ...deliveryWorkers]) {
        worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
        closers.push(() => worker.close());
      }
    }

    if (role === 'all' || role === 'scheduler') {
      await queues.schedulePolling(source.id, config.pollIntervalMs);
      logger.info(
        { source: source.id, url: redactUrl(source.url), everyMs: config.pollIntervalMs },
        'polling scheduled',
      );
    }

    const routes = [
      healthRoute(() =>
        redis.status === 'ready' ? redis.ping() : Promise.reject(new Error(redis.status)),
      ),
    ];
    if (role === 'all' || role === 'web') {
      const commands = new CommandService({
        source,
        archive,
        states,
        subscriptions,
        deliveryLog,
        pollIntervalMs: config.pollIntervalMs,
        logger,
      });
      const chat = await startChatFrontends(config, commands, logger);
      closers.push(() => chat.close());
      routes.push(...chat.routes);
    }

    const server = new HttpServer(routes, (error) =>
      logger.error({ err: error }, 'http handler failed'),
    );
    const address = await server.listen(config.port, config.host);
    closers.push(() => server.close());
    logger.info({ role, host: address.address, port: address.port }, 'esg-news-bot started');

    return { address: { host: address.address, port: address.port }, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function connectRedis(url: string, logger: Logger, options: RedisOptions): Promise<Redis> {
  const redis = new Redis(url, { ...options, lazyConnect: true });
  redis.on('error', (error: Error) =>
    logger.warn({ err: error.message }, 'redis connection error'),
  );
  await redis.connect();
  return redis;
}

/** Stops the start on a refused token; a platform that cannot be reached now is only logged. */
async function verifyNotifiers(notifiers: Notifier[], logger: Logger): Promise<void> {
  for (const notifier of notifiers) {
    try {
      await notifier.verify?.();
    } catch (error) {
      if (error instanceof DeliveryError && error.kind === 'unauthorized') {
        throw new Error(
          `${notifier.platform}: ${error.message}; check the token in the configuration`,
          { cause: error },
        );
      }
      logger.warn(
        { platform: notifier.platform, err: (error as Error).message },
        'could not check the bot token now; carrying on',
      );
    }
  }
}
