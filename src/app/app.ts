import { urlSourceReaders } from '../../adapters/sources/url-source-readers.js';
import { healthRoute } from '../../adapters/http/health-route.js';
import { HttpServer } from '../../adapters/http/http-server.js';
import { metricsRoute } from '../../adapters/http/metrics-route.js';
import { PrometheusMetrics } from '../../adapters/metrics/prometheus-metrics.js';
import { readPipelineState } from '../../adapters/metrics/redis-pipeline-state.js';
import { RedisChannelScheduleStore } from '../../adapters/redis/redis-channel-schedules.js';
import { RedisSentMessageStore } from '../../adapters/redis/redis-sent-messages.js';
import { RedisDeliveryLog } from '../../adapters/redis/redis-delivery-log.js';
import { RedisItemNumbers } from '../../adapters/redis/redis-item-numbers.js';
import { RedisDestinationStore } from '../../adapters/redis/redis-destination-store.js';
import { RedisKeys } from '../../adapters/redis/redis-keys.js';
import { connectRedis } from '../../adapters/redis/redis-connection.js';
import { claimOnce } from '../../adapters/redis/redis-lock.js';
import { migrateChannelKeys } from '../../adapters/redis/redis-channel-key-migration.js';
import { migrateDeliveryState } from '../../adapters/redis/redis-migrations.js';
import { migrateSearchText } from '../../adapters/redis/redis-search-text-migration.js';
import { RedisPlatformStatusStore } from '../../adapters/redis/redis-platform-status.js';
import { RedisPlatformWorkerStore } from '../../adapters/redis/redis-platform-workers.js';
import { RedisPostArchive } from '../../adapters/redis/redis-post-archive.js';
import { RedisReleaseClaims } from '../../adapters/redis/redis-release-claims.js';
import { RedisSourceRegistry } from '../../adapters/redis/redis-source-registry.js';
import { migrateToNamedSources } from '../../adapters/redis/redis-source-migration.js';
import { indexFollows, migrateFollowIndexes } from '../../adapters/redis/redis-follow-index.js';
import { RedisSourceStateStore } from '../../adapters/redis/redis-source-state.js';
import { RedisSubscriptionStore } from '../../adapters/redis/redis-subscription-store.js';
import type { FetchOptions } from '../../adapters/sources/http-fetcher.js';
import { ParseSandbox } from '../../adapters/sources/parse-sandbox.js';
import {
  AddressRefusedError,
  createAddressGuard,
  type AddressGuardOptions,
  UrlRefusedError,
} from '../../adapters/sources/address-guard.js';
import { QueuePlatformGate } from '../../jobs/platform-gate.js';
import { PipelineQueues } from '../../jobs/queues.js';
import { PLATFORM_IDS, PLATFORMS } from '../platforms/platform-registry.js';
import type { RetryPolicy } from '../../jobs/retry-policy.js';
import type { WorkerTuning } from '../../jobs/worker-options.js';
import { openPlatforms, startCommandFrontends } from './platforms.js';
import { removeWorkspace } from '../pipeline/maintenance/remove-workspace.js';
import { unsubscribeChannel } from '../pipeline/deliver/unsubscribe.js';
import { moveChannel } from '../platforms/channel-moves.js';
import { SourceDirectory } from '../sources/source-directory.js';
import { startWorkers } from './workers.js';
import { logPollingPlan, pollIntervalsNow, pollTickOf } from './poll-plan.js';
import { CommandService } from '../commands/command-service.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../util/logger.js';
import { TokenCipher } from '../util/token-cipher.js';
import { DeliveryError, type Notifier } from '../ports/notifier.js';
import { PlatformHeartbeat } from '../platforms/platform-heartbeat.js';
import { deploymentPlatforms, servedPlatforms } from '../platforms/platform-workers.js';
import type { Platform } from '../platforms/platform-registry.js';
import { UnservedWatch } from '../platforms/unserved-watch.js';

/** What this process does; `all` is everything in one process. */
export type Role = 'all' | 'scheduler' | 'worker' | 'web';
export const ROLES: readonly Role[] = ['all', 'scheduler', 'worker', 'web'];

/** Sources one channel may follow. */
const MAX_SOURCES_PER_CHANNEL = 10;

export { CONSOLE_CHANNEL } from '../../adapters/console/console-channel.js';

export interface AppOptions {
  config: Config;
  logger: Logger;
  role?: Role;
  /** Overrides for tests and the demo. */
  /** How chat-added sources' hosts are resolved and judged (tests map names without DNS). */
  addressGuard?: Omit<AddressGuardOptions, 'allowPrivate'>;
  notifiers?: Notifier[];
  /**
   * The clock of polls (back-off, Retry-After, notices), fan-out, deliveries and the sweep
   * (tests of digests and quiet hours), and of the platforms' heartbeats.
   */
  now?: () => Date;
  fetchOptions?: Partial<FetchOptions>;
  /**
   * Parse sandboxes to use instead of starting two of its own, which the app then does not
   * close: tests share them across the apps of a file (a worker takes a while to start).
   */
  parsers?: Record<'config' | 'chat', ParseSandbox>;
  /** Overrides of the retry policy the configuration gives. */
  retry?: Partial<RetryPolicy>;
  /**
   * Knobs of the platforms' own, passed to each as given: `slackInstallLimits`, the limits of
   * `/slack/install` in OAuth mode (default `INSTALL_LIMITS`).
   */
  platformOptions?: Record<string, unknown>;
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
    const onError = (error: Error) => logger.warn({ err: error.message }, 'redis connection error');
    const redis = await connectRedis(config, { maxRetriesPerRequest: null, onError });
    closers.push(() => redis.quit());
    const storeRedis = await connectRedis(config, {
      maxRetriesPerRequest: null,
      enableAutoPipelining: true,
      onError,
    });
    closers.push(() => storeRedis.quit());

    const keys = new RedisKeys(config.keyPrefix);
    const archive = new RedisPostArchive(storeRedis, keys);
    const states = new RedisSourceStateStore(storeRedis, keys);
    const subscriptions = new RedisSubscriptionStore(storeRedis, keys);
    const deliveryLog = new RedisDeliveryLog(storeRedis, keys, {
      retentionMs: config.delivery.recordRetentionMs,
    });
    const platformStates = new RedisPlatformStatusStore(storeRedis, keys);
    const platformWorkers = new RedisPlatformWorkerStore(storeRedis, keys);
    const clock = options.now ?? (() => new Date());
    const registry = new RedisSourceRegistry(storeRedis, keys);
    const schedules = new RedisChannelScheduleStore(storeRedis, keys);
    const sentMessages = new RedisSentMessageStore(
      storeRedis,
      keys,
      config.delivery.sentMessageRetentionMs,
    );
    // Read here without the key: deliveries only mark and read breaks, never URLs.
    const destinations = new RedisDestinationStore(
      storeRedis,
      keys,
      config.encryptionKey ? new TokenCipher(config.encryptionKey) : null,
    );
    const retry: RetryPolicy = {
      attempts: config.delivery.attempts,
      backoffMs: config.delivery.retryDelayMs,
      maxBackoffMs: config.delivery.retryMaxDelayMs,
      ...options.retry,
    };
    const queues = new PipelineQueues(redis, config.keyPrefix, retry).onError((error) =>
      logger.warn({ err: error.message }, 'queue connection error'),
    );
    closers.push(() => queues.close());
    const gate = new QueuePlatformGate(platformStates, queues, logger);

    // Data of a release that knew one source under another id moves to the default source.
    await migrateToNamedSources(storeRedis, keys, { defaultSource: config.sources[0]!, logger });
    // Before any process reads a subscription: commands (web) and deliveries look them up by key.
    await migrateChannelKeys(storeRedis, keys, { logger });
    // Search compares words in NFKC form: archived posts' search text is rewritten in it once.
    await migrateSearchText(storeRedis, keys, { logger });
    const originChanged = await registry.syncConfigured(config.sources);
    await migrateFollowIndexes(storeRedis, keys, logger);
    await indexFollows(storeRedis, keys, originChanged);
    // One parse sandbox per origin (a worker thread each), unless the caller shares its own.
    const parsers = options.parsers ?? {
      config: new ParseSandbox({ deadlineMs: config.sourcePolicy.parseTimeoutMs }),
      chat: new ParseSandbox({ deadlineMs: config.sourcePolicy.parseTimeoutMs }),
    };
    if (!options.parsers) {
      closers.push(() => Promise.all([parsers.config.close(), parsers.chat.close()]));
    }
    const sources = new SourceDirectory({
      registry,
      subscriptions,
      polling: {
        start: (name, origin) =>
          queues.schedulePolling(name, pollTickOf(config.pollRhythms, name, origin), origin),
        stop: (name) => queues.stopPolling(name),
        scheduled: () => queues.scheduledPolls(),
      },
      configured: config.sources,
      readers: urlSourceReaders({
        fetchOptions: {
          timeoutMs: config.fetchTimeoutMs,
          maxBytes: config.fetchMaxBytes,
          retries: 2,
          retryDelayMs: 1_000,
          userAgent: config.userAgent,
          ...options.fetchOptions,
        },
        parsers,
        maxItems: {
          config: config.sourcePolicy.config.maxItems,
          chat: config.sourcePolicy.chat.maxItems,
        },
        chatGuard: createAddressGuard({
          ...options.addressGuard,
          allowPrivate: config.allowPrivateSources,
        }),
      }),
      isAddressRefusal: (error) => error instanceof AddressRefusedError,
      isUrlRefusal: (error) => error instanceof UrlRefusedError,
      limits: {
        perChannel: MAX_SOURCES_PER_CHANNEL,
        perTenant: config.sourcePolicy.maxPerWorkspace,
        sources: config.maxSources,
      },
      releasedGraceMs: config.sourcePolicy.releasedGraceMs,
      logger,
    });

    const opened = await openPlatforms(config, {
      redis: storeRedis,
      keys,
      logger,
      options: options.platformOptions ?? {},
      ...(options.now ? { now: options.now } : {}),
    });
    const notifiers = new Map<Platform, Notifier>();
    for (const notifier of options.notifiers ??
      [...opened.values()].map((platform) => platform.notifier)) {
      notifiers.set(notifier.platform, notifier);
    }
    await verifyNotifiers([...notifiers.values()], gate, logger);
    const platforms = [...notifiers.keys()];
    // One registry per app: its counters are this process's, its gauges the shared state.
    const metrics = new PrometheusMetrics({
      platforms,
      logger,
      readState: async () => ({
        ...(await readPipelineState({
          redis: storeRedis,
          keys,
          queues: [
            queues.poll,
            queues.fanOut,
            queues.maintenance,
            ...platforms.map((platform) => queues.deliver[platform]),
          ],
          platforms,
          platformState: (platform) => platformStates.get(platform),
          served: async () => servedPlatforms(await platformWorkers.lastSeen(), clock()),
        })),
        pollIntervals: pollIntervalsNow(config.pollRhythms, await sources.list(), clock()),
      }),
    });
    // What the whole deployment delivers to, whichever process asks (see `PlatformWorkerStore`).
    const deploymentReader = {
      workers: platformWorkers,
      subscriptions,
      now: clock,
    };
    const deployment = () => deploymentPlatforms({ ...deploymentReader, platforms: PLATFORM_IDS });
    if (!platforms.some((platform) => PLATFORMS[platform].chat)) {
      for (const platform of opened.values()) {
        await platform.whenNoChat?.({
          ...deploymentReader,
          defaultSource: sources.defaultName,
          logger,
        });
      }
    }

    if (role === 'all' || role === 'worker') {
      await migrateDeliveryState(storeRedis, keys, {
        retentionMs: config.delivery.recordRetentionMs,
        logger,
      });
      const workers = startWorkers({
        config,
        logger,
        connection: redis,
        keys,
        retry,
        tuning: options.tuning ?? {},
        sources,
        registry,
        itemNumbers: new RedisItemNumbers(storeRedis, keys),
        archive,
        states,
        subscriptions,
        deliveryLog,
        platformStates,
        gate,
        queues,
        notifiers,
        metrics,
        schedules,
        sentMessages,
        releaseClaims: new RedisReleaseClaims(storeRedis, keys),
        destinations,
        ...(options.now ? { now: options.now } : {}),
      });
      for (const worker of workers) closers.push(() => worker.close());
      // From now on this process takes these platforms' jobs: the deployment hears of it.
      const heartbeat = await new PlatformHeartbeat({
        store: platformWorkers,
        platforms,
        logger,
        now: clock,
      }).start();
      closers.push(() => Promise.resolve(heartbeat.close()));
    }
    // Every role watches: a platform nobody delivers to is logged wherever logs are read.
    const unservedWatch = new UnservedWatch({ read: deployment, logger }).start();
    closers.push(() => unservedWatch.close());

    if (role === 'all' || role === 'scheduler') {
      await sources.syncPolling({ refresh: true });
      await queues.scheduleSweep(config.sweepIntervalMs);
      logPollingPlan(config.pollRhythms, await sources.list(), logger);
    }

    const routes = [
      healthRoute({
        ping: () =>
          redis.status === 'ready' ? redis.ping() : Promise.reject(new Error(redis.status)),
        platforms: platforms.filter((platform) => PLATFORMS[platform].chat),
        platformState: (platform) => platformStates.get(platform),
        deployment,
        details: [...opened.values()].flatMap((platform) =>
          platform.health ? [platform.health] : [],
        ),
      }),
      metricsRoute({ render: () => metrics.render(), token: config.metricsToken }),
    ];
    if (role === 'all' || role === 'web') {
      const commands = new CommandService({
        sources,
        archive,
        states,
        subscriptions,
        deliveryLog,
        platformStates,
        pollRhythms: config.pollRhythms,
        now: clock,
        sourcesFromChat: config.sourcesFromChat,
        maxSourcesPerChannel: MAX_SOURCES_PER_CHANNEL,
        schedules,
        logger,
      });
      // What leaving a workspace or a deleted channel removes.
      const leaving = {
        subscriptions,
        deliveryLog,
        schedules,
        sourceIds: () => sources.names(),
        sourceReleased: (name: string) => sources.released(name),
        logger,
      };
      const chat = await startCommandFrontends(opened, commands, (platform) => ({
        onTokenRefused: (error) => gate.pause(platform, error),
        // Discord refuses timestamps over 5 minutes old; remember ids a little longer.
        claimInteraction: (id) => claimOnce(storeRedis, keys.seenInteraction(id), 600),
        onWorkspaceRemoved: async (workspaceId, why) => {
          await removeWorkspace(leaving, platform, workspaceId, why);
        },
        onChannelDeleted: async (channel) => {
          const removed = await unsubscribeChannel(leaving, channel);
          if (removed.length > 0) {
            logger.info({ ...channel, sources: removed }, 'channel deleted; unsubscribed it');
          }
        },
        onChannelMoved: async (from, to) => {
          const moved = await moveChannel(leaving, from, to);
          logger.info(
            { platform, from: from.channelId, to: to.channelId, sources: moved },
            'channel moved to a new id; its subscriptions moved with it',
          );
        },
      }));
      closers.push(() => chat.close());
      routes.push(...chat.routes);
      // Only with a token: an operator who set none gets no dashboard or panel, not open ones.
      if (config.adminToken) {
        // Loaded only here: bull-board and Hono are a tenth of the start-up time.
        const { adminDashboardRoute } = await import('../../adapters/http/admin-dashboard.js');
        routes.push(
          adminDashboardRoute({
            queues: queues.all(),
            token: config.adminToken,
            onError: (error) => logger.error({ err: error }, 'queue dashboard failed'),
          }),
        );
        const { adminPanel } = await import('./admin-panel.js');
        routes.push(
          ...adminPanel({
            config,
            token: config.adminToken,
            redis: storeRedis,
            keys,
            registry,
            subscriptions,
            schedules,
            deliveryLog,
            readers: {
              states,
              archive,
              platformStates,
              scheduledPolls: () => queues.scheduledPolls(),
            },
            now: clock,
            logger,
            onError: (error) => logger.error({ err: error }, 'control panel failed'),
          }),
        );
      }
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

/**
 * Stops the start on a refused token; a platform that cannot be reached now is only logged. A
 * platform paused while its token was refused is resumed once its (new) token is accepted: a
 * restart with a new token delivers everything owed.
 */
async function verifyNotifiers(
  notifiers: Notifier[],
  gate: QueuePlatformGate,
  logger: Logger,
): Promise<void> {
  for (const notifier of notifiers) {
    if (!notifier.verify) continue;
    try {
      await notifier.verify();
      await gate.resume(notifier.platform);
    } catch (error) {
      if (error instanceof DeliveryError && error.kind === 'unauthorized') {
        throw new Error(
          `${notifier.platform}: ${error.message}; check the token (${PLATFORMS[notifier.platform].tokenVariable ?? 'its variable'}) in the configuration`,
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
