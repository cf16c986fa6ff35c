import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from '../../src/util/logger.js';
import type {
  DeliveryAttemptResult,
  PipelineMetrics,
  PollJobResult,
} from '../../src/ports/pipeline-metrics.js';
import type { Platform } from '../../src/platforms/platform-registry.js';

/**
 * What the deployment's shared state holds now, read from Redis at each scrape. Keys are label
 * values: platforms as the stored channels name them, queue names as BullMQ knows them.
 */
export interface PipelineState {
  /** Subscriptions per platform, summed over sources (a channel following two counts twice). */
  subscriptions: ReadonlyMap<string, number>;
  /** (post, channel) deliveries owed and not yet settled, per platform: the backlog. */
  postsOwed: ReadonlyMap<string, number>;
  /** (source, channel) pairs with at least one post owed, per platform. */
  channelsOwing: ReadonlyMap<string, number>;
  /** Job counts per queue and BullMQ state. */
  jobs: ReadonlyArray<{ queue: string; state: string; count: number }>;
  /** Whether each configured platform is paused (its token refused). */
  paused: ReadonlyMap<string, boolean>;
  /**
   * Per platform with subscriptions (or configured here): whether its channels are subscribed
   * and no process anywhere runs its delivery worker.
   */
  unserved: ReadonlyMap<string, boolean>;
  /** Webhook destinations marked broken (they answered 404 or 410), per platform. */
  brokenDestinations: ReadonlyMap<string, number>;
  /** Per source, the poll interval in force now (busy or quiet hours), in seconds. */
  pollIntervals?: ReadonlyMap<string, number>;
}

export interface PrometheusMetricsOptions {
  /** The platforms this deployment delivers to: their counters start at 0, not absent. */
  platforms: readonly Platform[];
  /** Reads the shared state for the scrape-time gauges; must be cheap (see `readPipelineState`). */
  readState: () => Promise<PipelineState>;
  logger: Logger;
  /** Longest a scrape waits for the shared state before answering without it (default 2 s). */
  readTimeoutMs?: number;
  /** Node's process metrics (CPU, memory, event loop, GC); default on. */
  processMetrics?: boolean;
}

/** Seconds from a post's announcement to the platform's acceptance: instant to an outage's hour. */
const LATENCY_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1_800, 3_600];
/** Seconds one poll took: a 304 in milliseconds to a slow board with post pages and retries. */
const POLL_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The bot's Prometheus metrics, in a registry of its own (several apps in one test process
 * never share series). Two kinds, and the difference matters when reading them:
 * - counters and histograms (deliveries, 429s, polls) count what *this process* did; every
 *   role's process exports its own and Prometheus sums them across processes;
 * - gauges (`esgnews_subscriptions`, `_posts_owed`, `_jobs`, `_platform_paused`,
 *   `_platform_unserved`…) are the
 *   deployment's shared state in Redis, read at each scrape: every process reports the same
 *   values, so aggregate them with `max`, never `sum`.
 */
export class PrometheusMetrics implements PipelineMetrics {
  readonly registry = new Registry();
  private readonly deliveries: Counter<'platform' | 'outcome'>;
  private readonly latency: Histogram<'platform'>;
  private readonly rateLimits: Counter<'platform' | 'scope'>;
  private readonly polls: Counter<'source' | 'outcome'>;
  private readonly pollDuration: Histogram<'source'>;
  private readonly shared: {
    up: Gauge;
    subscriptions: Gauge<'platform'>;
    postsOwed: Gauge<'platform'>;
    channelsOwing: Gauge<'platform'>;
    jobs: Gauge<'queue' | 'state'>;
    paused: Gauge<'platform'>;
    unserved: Gauge<'platform'>;
    brokenDestinations: Gauge<'platform'>;
    pollInterval: Gauge<'source'>;
  };

  constructor(private readonly options: PrometheusMetricsOptions) {
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });

    this.deliveries = new Counter({
      name: 'esgnews_deliveries_total',
      help: 'Attempts to deliver a post to a channel, by how they ended (this process).',
      labelNames: ['platform', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'esgnews_delivery_latency_seconds',
      help: 'From a post being announced for delivery to the platform accepting it (this process).',
      labelNames: ['platform'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.rateLimits = new Counter({
      name: 'esgnews_rate_limited_total',
      help: '429 answers from a chat platform, posts and notices (this process).',
      labelNames: ['platform', 'scope'],
      registers,
    });
    this.polls = new Counter({
      name: 'esgnews_polls_total',
      help: 'Poll jobs by source and how they ended (this process).',
      labelNames: ['source', 'outcome'],
      registers,
    });
    this.pollDuration = new Histogram({
      name: 'esgnews_poll_duration_seconds',
      help: 'Time of the polls that asked the source, failed ones included (this process).',
      labelNames: ['source'],
      buckets: POLL_BUCKETS,
      registers,
    });
    this.shared = {
      up: new Gauge({
        name: 'esgnews_shared_state_up',
        help: '1 when the shared-state gauges were read from Redis for this scrape, else 0.',
        registers,
      }),
      subscriptions: new Gauge({
        name: 'esgnews_subscriptions',
        help: 'Channel subscriptions per platform, summed over sources (shared state).',
        labelNames: ['platform'],
        registers,
      }),
      postsOwed: new Gauge({
        name: 'esgnews_posts_owed',
        help: 'Deliveries of a post to a channel not yet settled: the backlog (shared state).',
        labelNames: ['platform'],
        registers,
      }),
      channelsOwing: new Gauge({
        name: 'esgnews_channels_owing',
        help: 'Channels (per source) owed at least one post (shared state).',
        labelNames: ['platform'],
        registers,
      }),
      jobs: new Gauge({
        name: 'esgnews_jobs',
        help: 'Jobs per queue and state (shared state).',
        labelNames: ['queue', 'state'],
        registers,
      }),
      paused: new Gauge({
        name: 'esgnews_platform_paused',
        help: '1 while the platform refuses the bot token and its deliveries wait (shared state).',
        labelNames: ['platform'],
        registers,
      }),
      unserved: new Gauge({
        name: 'esgnews_platform_unserved',
        help: '1 while channels follow the platform and no process runs its delivery worker: its alerts wait (shared state).',
        labelNames: ['platform'],
        registers,
      }),
      brokenDestinations: new Gauge({
        name: 'esgnews_destinations_broken',
        help: 'Webhook destinations that answered they are gone (404, 410): their alerts wait until they work again (shared state).',
        labelNames: ['platform'],
        registers,
      }),
      pollInterval: new Gauge({
        name: 'esgnews_source_poll_interval_seconds',
        help: "Seconds between a source's polls now: its busy or its quiet interval (configuration and clock).",
        labelNames: ['source'],
        registers,
      }),
    };

    // Present from the start, so `rate()` sees the first delivery as an increase.
    for (const platform of options.platforms) {
      this.deliveries.inc({ platform, outcome: 'delivered' }, 0);
      this.rateLimits.inc({ platform, scope: 'channel' }, 0);
    }
  }

  delivery(event: { platform: Platform; result: DeliveryAttemptResult; latencyMs?: number }): void {
    this.deliveries.inc({ platform: event.platform, outcome: event.result });
    if (event.latencyMs !== undefined) {
      // Clocks of two machines (the one that announced, the one that delivered) may differ.
      this.latency.observe({ platform: event.platform }, Math.max(0, event.latencyMs) / 1000);
    }
  }

  rateLimited(event: { platform: Platform; scope: 'channel' | 'global' }): void {
    this.rateLimits.inc({ platform: event.platform, scope: event.scope });
  }

  poll(event: { source: string; result: PollJobResult; durationMs?: number }): void {
    this.polls.inc({ source: event.source, outcome: event.result });
    if (event.durationMs !== undefined) {
      this.pollDuration.observe({ source: event.source }, event.durationMs / 1000);
    }
  }

  /** The text a scrape answers with: the shared state read now, then every series. */
  async render(): Promise<{ contentType: string; body: string }> {
    await this.refreshSharedState();
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /**
   * Reads the shared state, then sets every gauge in one synchronous step, so two scrapes at
   * once never mix their values. A Redis that does not answer in time leaves the gauges out
   * (stale values would mislead) but the scrape still answers with the process's own series.
   */
  private async refreshSharedState(): Promise<void> {
    let state: PipelineState | null = null;
    try {
      state = await withTimeout(this.options.readState(), this.options.readTimeoutMs ?? 2_000);
    } catch (error) {
      this.options.logger.warn(
        { err: (error as Error).message },
        'metrics: could not read the shared state; its gauges are left out of this scrape',
      );
    }
    const { up, subscriptions, postsOwed, channelsOwing, jobs, paused, unserved } = this.shared;
    const { brokenDestinations, pollInterval } = this.shared;
    for (const gauge of [
      pollInterval,
      subscriptions,
      postsOwed,
      channelsOwing,
      jobs,
      paused,
      unserved,
      brokenDestinations,
    ]) {
      gauge.reset();
    }
    up.set(state ? 1 : 0);
    if (!state) return;
    for (const [platform, count] of state.subscriptions) subscriptions.set({ platform }, count);
    for (const [platform, count] of state.postsOwed) postsOwed.set({ platform }, count);
    for (const [platform, count] of state.channelsOwing) channelsOwing.set({ platform }, count);
    for (const { queue, state: jobState, count } of state.jobs) {
      jobs.set({ queue, state: jobState }, count);
    }
    for (const [platform, isPaused] of state.paused) paused.set({ platform }, isPaused ? 1 : 0);
    for (const [platform, waits] of state.unserved) unserved.set({ platform }, waits ? 1 : 0);
    for (const [platform, count] of state.brokenDestinations) {
      brokenDestinations.set({ platform }, count);
    }
    for (const [source, seconds] of state.pollIntervals ?? []) {
      pollInterval.set({ source }, seconds);
    }
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
