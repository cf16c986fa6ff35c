import type { InstallLimits } from '../../adapters/slack/redis-oauth-states.js';
import { pino } from 'pino';
import { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '../../adapters/redis/redis-connection.js';
import { RedisDeliveryLog } from '../../adapters/redis/redis-delivery-log.js';
import { RedisKeys } from '../../adapters/redis/redis-keys.js';
import { RedisPostArchive } from '../../adapters/redis/redis-post-archive.js';
import { scanKeys } from '../../adapters/redis/redis-scan.js';
import { RedisSourceRegistry } from '../../adapters/redis/redis-source-registry.js';
import { RedisSourceStateStore } from '../../adapters/redis/redis-source-state.js';
import { RedisSubscriptionStore } from '../../adapters/redis/redis-subscription-store.js';
import { PipelineQueues } from '../../jobs/queues.js';
import { PLATFORM_IDS } from '../../src/platforms/platform-registry.js';
import type { RetryPolicy } from '../../jobs/retry-policy.js';
import { startApp, type App, type AppOptions, type Role } from '../../src/app/app.js';
import { parseConfig, type ClusterNode, type Config } from '../../src/config/config.js';
import type { Logger } from '../../src/util/logger.js';
import type { Notifier } from '../../src/ports/notifier.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import type { Platform } from '../../src/platforms/platform-registry.js';
import { DEFAULT_PARSE_DEADLINE_MS } from '../../adapters/sources/parse-sandbox.js';
import { deleteKeys, TEST_REDIS_URL } from './redis.js';
import { sharedParsers } from './shared-parsers.js';
import { waitFor } from './wait.js';
import { randomUUID } from 'node:crypto';

export interface HarnessOptions {
  feedUrl: string;
  /** Default: what the configuration turns on (e.g. the real Slack notifier). */
  notifiers?: Notifier[];
  role?: Role;
  retry?: Partial<RetryPolicy>;
  env?: Record<string, string>;
  logger?: Logger;
  /** Default: the machine's Redis. */
  redisUrl?: string;
  /**
   * Seed nodes of a Redis Cluster: the bot gets them as `REDIS_CLUSTER_NODES`, and the
   * harness's own stores and queues use a cluster client and the hash-tagged key prefix.
   */
  cluster?: readonly ClusterNode[];
  /** Share another harness's keys (its `prefix`): a restart of the same deployment. */
  prefix?: string;
  tuning?: AppOptions['tuning'];
  addressGuard?: AppOptions['addressGuard'];
  /**
   * The bot's clock for polls (back-off, Retry-After, notices), fan-out, deliveries and the
   * sweep (digests and quiet hours): a test moves it instead of sleeping.
   */
  now?: () => Date;
  /** Overrides of how sources are fetched (default: no retries, a 2 s timeout). */
  fetchOptions?: AppOptions['fetchOptions'];
  /** Limits of `/slack/install` in OAuth mode. */
  /** Limits of `/slack/install` in OAuth mode (the Slack platform's `slackInstallLimits`). */
  slackInstallLimits?: Partial<InstallLimits>;
  /** Other platforms' knobs (`AppOptions.platformOptions`), e.g. `telegramPolling`. */
  platformOptions?: Record<string, unknown>;
}

/**
 * The real pipeline (BullMQ on the real Redis, the real source over HTTP) under a unique
 * prefix, with helpers to subscribe channels, run one poll and wait until every alert is out.
 */
export class PipelineHarness {
  /** `QUEUE_PREFIX`, unique to this harness unless given. */
  readonly prefix: string;
  /** What every key starts with: the prefix, in a cluster as a hash tag (`{test-…}`). */
  readonly keyPrefix: string;
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  readonly subscriptions: RedisSubscriptionStore;
  readonly registry: RedisSourceRegistry;
  readonly archive: RedisPostArchive;
  readonly states: RedisSourceStateStore;
  readonly deliveryLog: RedisDeliveryLog;
  readonly queues: PipelineQueues;
  readonly config: Config;
  readonly sourceId: string;
  app: App | null = null;

  constructor(readonly options: HarnessOptions) {
    this.prefix = options.prefix ?? `test-${randomUUID().slice(0, 8)}`;
    const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
    const cluster = options.cluster ?? null;
    this.config = parseConfig({
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: this.prefix,
      FEED_URL: options.feedUrl,
      POLL_INTERVAL: '1h',
      // One interval whatever the hour: busy hours (Korea time) would make what a poll does
      // depend on when the suite runs. The rhythm is tested where it matters.
      POLL_BUSY_HOURS: 'off',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      // The platforms' own limits are tested where they matter; elsewhere they only slow tests.
      SLACK_RATE_LIMIT: '0',
      DISCORD_RATE_LIMIT: '0',
      ...(cluster
        ? { REDIS_CLUSTER_NODES: cluster.map((n) => `${n.host}:${n.port}`).join(',') }
        : {}),
      ...options.env,
    });
    // The keys the app writes are the ones the configuration gives it.
    this.keyPrefix = this.config.keyPrefix;
    this.keys = new RedisKeys(this.keyPrefix);
    this.redis = cluster
      ? new Cluster([...cluster], { redisOptions: { maxRetriesPerRequest: null } })
      : new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.redis.on('error', () => undefined); // tests that restart Redis expect refusals
    this.subscriptions = new RedisSubscriptionStore(this.redis, this.keys);
    this.registry = new RedisSourceRegistry(this.redis, this.keys);
    this.archive = new RedisPostArchive(this.redis, this.keys);
    this.states = new RedisSourceStateStore(this.redis, this.keys);
    this.deliveryLog = new RedisDeliveryLog(this.redis, this.keys, { retentionMs: 3_600_000 });
    this.sourceId = this.config.sources[0]!.name;
    this.queues = new PipelineQueues(this.redis, this.keyPrefix, {
      attempts: 5,
      backoffMs: 50,
      maxBackoffMs: 1_000,
    }).onError(() => undefined);
  }

  async start(): Promise<this> {
    this.app = await startApp({
      config: this.config,
      logger: this.options.logger ?? pino({ level: 'silent' }),
      role: this.options.role ?? 'worker',
      ...(this.options.notifiers ? { notifiers: this.options.notifiers } : {}),
      fetchOptions: { retries: 0, timeoutMs: 2_000, ...this.options.fetchOptions },
      // Apps with the default parse deadline share the file's sandboxes.
      ...(this.config.sourcePolicy.parseTimeoutMs === DEFAULT_PARSE_DEADLINE_MS
        ? { parsers: sharedParsers() }
        : {}),
      ...(this.options.tuning ? { tuning: this.options.tuning } : {}),
      ...(this.options.addressGuard ? { addressGuard: this.options.addressGuard } : {}),
      ...(this.options.now ? { now: this.options.now } : {}),
      platformOptions: {
        ...this.options.platformOptions,
        ...(this.options.slackInstallLimits
          ? { slackInstallLimits: this.options.slackInstallLimits }
          : {}),
      },
      retry: { attempts: 5, backoffMs: 50, maxBackoffMs: 1_000, ...this.options.retry },
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = null;
  }

  /** Subscribes a channel to a source (by default the default one). */
  async subscribe(
    platform: Platform,
    channelId: string,
    keywords: string[] = [],
    sourceId = this.sourceId,
  ): Promise<ChannelRef> {
    const channel = { platform, workspaceId: 'T1', channelId };
    await this.subscriptions.subscribe(sourceId, {
      ...channel,
      keywords,
      createdAt: new Date().toISOString(),
    });
    return channel;
  }

  /** The bot's HTTP base URL. */
  get httpUrl(): string {
    return `http://127.0.0.1:${this.app!.address!.port}`;
  }

  /**
   * Runs one poll of the source (by default the default one) to its end; returns its result
   * or throws its failure. A poll that found the source being read by another (its scheduled
   * poll, say) is run again, so the read the test asked for really happens.
   */
  async pollOnce(sourceId = this.sourceId): Promise<unknown> {
    for (let tries = 1; ; tries++) {
      const job = await this.queues.poll.add('poll', { sourceId }, { attempts: 1 });
      const state = await waitFor(`poll job ${job.id}`, async () => {
        const s = await this.queues.poll.getJobState(job.id!);
        return s === 'completed' || s === 'failed' ? s : null;
      });
      const finished = await this.queues.poll.getJob(job.id!);
      if (state === 'failed') throw new Error(`poll failed: ${finished?.failedReason}`);
      const result = finished?.returnvalue as { status?: string } | undefined;
      if (result?.status !== 'busy' || tries >= 50) return result;
    }
  }

  /** The names of the sources whose polls are scheduled, in either lane. */
  async scheduledSources(): Promise<string[]> {
    return (await this.queues.scheduledPolls()).map((s) => s.name);
  }

  /** Runs one sweep (as the scheduler would every `SWEEP_INTERVAL`) to its end; returns its result. */
  async sweepOnce(): Promise<unknown> {
    const job = await this.queues.maintenance.add('sweep', {}, { attempts: 1 });
    const state = await waitFor(`sweep job ${job.id}`, async () => {
      const s = await this.queues.maintenance.getJobState(job.id!);
      return s === 'completed' || s === 'failed' ? s : null;
    });
    const finished = await this.queues.maintenance.getJob(job.id!);
    if (state === 'failed') throw new Error(`sweep failed: ${finished?.failedReason}`);
    return finished?.returnvalue;
  }

  /** Waits until no fan-out or delivery job is waiting, running or delayed. */
  async drain(timeoutMs = 20_000): Promise<void> {
    await waitFor(
      'the queues to drain',
      async () => {
        const queues = [this.queues.fanOut, ...PLATFORM_IDS.map((p) => this.queues.deliver[p])];
        for (const queue of queues) {
          const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
          if (Object.values(c).some((n) => n > 0)) return false;
        }
        return true;
      },
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    await this.stop();
    await this.queues.close();
    await this.deleteKeys();
    this.redis.disconnect();
  }

  private async deleteKeys(): Promise<void> {
    const pattern = `${this.keyPrefix}:*`;
    if (this.redis instanceof Redis) return deleteKeys(this.redis, pattern);
    // SCAN of every master; the keys share the hash tag's slot, so one DEL takes many.
    const keys: string[] = [];
    for await (const key of scanKeys(this.redis, pattern)) keys.push(key);
    for (let i = 0; i < keys.length; i += 500) await this.redis.del(...keys.slice(i, i + 500));
  }
}
