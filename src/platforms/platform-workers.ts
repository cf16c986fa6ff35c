import type { PlatformWorkerStore } from '../ports/platform-worker-store.js';
import type { Platform } from './platform-registry.js';
import type { SubscriptionStore } from '../ports/subscription-store.js';

/** How often a process with delivery workers announces its platforms. */
export const HEARTBEAT_INTERVAL_MS = 15_000;

/**
 * A platform counts as served while it was announced this recently: two intervals and a
 * margin, so one late heartbeat (a busy event loop, a Redis blip) does not make it flap.
 */
export const SERVED_WITHIN_MS = 2 * HEARTBEAT_INTERVAL_MS + 10_000;

/** The platforms announced within `servedWithinMs` before `now`. */
export function servedPlatforms(
  lastSeen: ReadonlyMap<Platform, Date>,
  now: Date,
  servedWithinMs = SERVED_WITHIN_MS,
): Set<Platform> {
  const served = new Set<Platform>();
  for (const [platform, at] of lastSeen) {
    if (now.getTime() - at.getTime() <= servedWithinMs) served.add(platform);
  }
  return served;
}

/** A platform whose channels are subscribed but that no process delivers to. */
export interface UnservedPlatform {
  platform: Platform;
  /** When a worker of it was last heard of; `null` if never. */
  lastSeen: Date | null;
}

/** What the deployment delivers to, as every process sees it. */
export interface DeploymentPlatforms {
  /** Platforms with a delivery worker somewhere. */
  served: ReadonlySet<Platform>;
  /** Platforms with subscribed channels and no worker anywhere: their alerts wait in their queue. */
  unserved: readonly UnservedPlatform[];
}

export interface DeploymentPlatformsDeps {
  workers: Pick<PlatformWorkerStore, 'lastSeen'>;
  subscriptions: Pick<SubscriptionStore, 'countByPlatform'>;
  /** Every platform the bot knows. */
  platforms: readonly Platform[];
  now: () => Date;
  servedWithinMs?: number;
}

/**
 * Which platforms are served and which are subscribed but unserved: two hash reads (the
 * heartbeats, and the subscriptions per platform the follow scripts keep), however many
 * channels there are.
 */
export async function deploymentPlatforms(
  deps: DeploymentPlatformsDeps,
): Promise<DeploymentPlatforms> {
  const [lastSeen, counts] = await Promise.all([
    deps.workers.lastSeen(),
    deps.subscriptions.countByPlatform(),
  ]);
  const served = servedPlatforms(lastSeen, deps.now(), deps.servedWithinMs);
  const unserved = deps.platforms
    .filter((platform) => !served.has(platform) && (counts[platform] ?? 0) > 0)
    .map((platform) => ({ platform, lastSeen: lastSeen.get(platform) ?? null }));
  return { served, unserved };
}

/** The state in one line for `/healthz`: `no worker since 2026-…`, or `no worker` if never. */
export function describeUnserved({ lastSeen }: UnservedPlatform): string {
  return lastSeen ? `no worker since ${lastSeen.toISOString()}` : 'no worker';
}
