import type { RedisClient } from '../redis/redis-connection.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { PlatformState } from '../../src/ports/platform-status-store.js';
import { PLATFORMS, type Platform } from '../../src/platforms/platform-registry.js';
import type { PipelineState } from './prometheus-metrics.js';

/** A queue whose jobs are counted by state (BullMQ's `Queue` is one). */
export interface CountedQueue {
  readonly name: string;
  getJobCounts(): Promise<Record<string, number>>;
}

export interface RedisPipelineStateDeps {
  redis: RedisClient;
  keys: RedisKeys;
  queues: readonly CountedQueue[];
  /** The platforms this deployment delivers to: reported even at 0, and their pause state. */
  platforms: readonly Platform[];
  platformState: (platform: Platform) => Promise<PlatformState>;
  /** The platforms a delivery worker anywhere serves now (see `PlatformWorkerStore`). */
  served: () => Promise<ReadonlySet<string>>;
}

/**
 * Reads the shared state behind the scrape-time gauges, in a handful of Redis round trips
 * whatever the number of channels; the cost of a scrape (benchmark 8) is this function's.
 * - subscriptions: one HGETALL of the per-platform counts the follow scripts keep (see
 *   `follow-scripts`), whatever the number of channels.
 * - the backlog: HKEYS of the `owing` index, then one ZCARD per channel that owes posts,
 *   pipelined: nothing at rest, one command per behind channel during a fan-out or an outage.
 * - job counts: BullMQ's one script per queue; pause states: one HGET per platform.
 * - served platforms: one HGETALL of the workers' heartbeats.
 * - broken destinations: one HKEYS of the breaks.
 */
export async function readPipelineState(deps: RedisPipelineStateDeps): Promise<PipelineState> {
  const [subscriptions, backlog, jobs, paused, served, brokenDestinations] = await Promise.all([
    countSubscriptions(deps),
    countBacklog(deps),
    countJobs(deps.queues),
    pauseStates(deps),
    deps.served(),
    countBrokenDestinations(deps),
  ]);
  // Every platform counted (those configured here at 0 too): unserved when followed and not served.
  const unserved = new Map(
    [...subscriptions].map(([platform, count]) => [platform, count > 0 && !served.has(platform)]),
  );
  return { subscriptions, ...backlog, jobs, paused, unserved, brokenDestinations };
}

/** Webhook destinations marked broken, per platform: one HKEYS of the breaks. */
async function countBrokenDestinations(deps: RedisPipelineStateDeps): Promise<Map<string, number>> {
  const counts = zeroes(deps.platforms.filter((platform) => PLATFORMS[platform].destinations));
  for (const channel of await deps.redis.hkeys(deps.keys.brokenDestinations())) {
    increment(counts, platformOf(channel), 1);
  }
  return counts;
}

async function countSubscriptions(deps: RedisPipelineStateDeps): Promise<Map<string, number>> {
  const counts = zeroes(deps.platforms);
  const byPlatform = await deps.redis.hgetall(deps.keys.platformSubscriptions());
  for (const [platform, count] of Object.entries(byPlatform)) {
    increment(counts, platform, Number(count));
  }
  return counts;
}

async function countBacklog(
  deps: RedisPipelineStateDeps,
): Promise<Pick<PipelineState, 'postsOwed' | 'channelsOwing'>> {
  const postsOwed = zeroes(deps.platforms);
  const channelsOwing = zeroes(deps.platforms);
  // Fields are `source|channel key` (see `RedisDeliveryLog`); source ids never contain `|`.
  const owing = (await deps.redis.hkeys(deps.keys.owing())).map((field) => {
    const bar = field.indexOf('|');
    return { sourceId: field.slice(0, bar), channel: field.slice(bar + 1) };
  });
  if (owing.length === 0) return { postsOwed, channelsOwing };
  const pipeline = deps.redis.pipeline();
  for (const { sourceId, channel } of owing) {
    pipeline.zcard(deps.keys.pendingDeliveries(sourceId, channel));
  }
  results<number>(await pipeline.exec()).forEach((posts, i) => {
    const platform = platformOf(owing[i]!.channel);
    increment(postsOwed, platform, posts);
    increment(channelsOwing, platform, 1);
  });
  return { postsOwed, channelsOwing };
}

async function countJobs(queues: readonly CountedQueue[]): Promise<PipelineState['jobs']> {
  const counted = await Promise.all(
    queues.map(async (queue) => ({ queue: queue.name, counts: await queue.getJobCounts() })),
  );
  return counted.flatMap(({ queue, counts }) =>
    Object.entries(counts).map(([state, count]) => ({ queue, state, count })),
  );
}

async function pauseStates(deps: RedisPipelineStateDeps): Promise<Map<string, boolean>> {
  const states = await Promise.all(deps.platforms.map((p) => deps.platformState(p)));
  return new Map(deps.platforms.map((platform, i) => [platform, states[i]!.state !== 'ok']));
}

/** A channel key's platform: everything before its first `-` (see `channelKey`). */
function platformOf(channelKey: string): string {
  return channelKey.slice(0, channelKey.indexOf('-'));
}

function zeroes(platforms: readonly Platform[]): Map<string, number> {
  return new Map(platforms.map((platform) => [platform, 0]));
}

function increment(counts: Map<string, number>, key: string, by: number): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/** A pipeline's replies, in order; the first failed command fails the read. */
function results<T>(replies: Array<[Error | null, unknown]> | null): T[] {
  return (replies ?? []).map(([error, value]) => {
    if (error) throw error;
    return value as T;
  });
}
