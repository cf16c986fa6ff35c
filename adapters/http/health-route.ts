import { describePlatformState } from '../../src/platforms/platform-status.js';
import { type PlatformState } from '../../src/ports/platform-status-store.js';
import {
  describeUnserved,
  type DeploymentPlatforms,
} from '../../src/platforms/platform-workers.js';
import { PLATFORMS, type Platform } from '../../src/platforms/platform-registry.js';
import { reply, type Route } from './http-server.js';

export interface HealthRouteOptions {
  /** Resolves while Redis answers. */
  ping: () => Promise<unknown>;
  /** The chat platforms this process has a token for. */
  platforms: readonly Platform[];
  platformState: (platform: Platform) => Promise<PlatformState>;
  /**
   * Which platforms have a delivery worker anywhere, and which have subscribed channels but
   * none (see `deploymentPlatforms`).
   */
  deployment?: (() => Promise<DeploymentPlatforms>) | undefined;
  /**
   * Counts of the platforms' own, each under its name (Slack's OAuth mode: how many workspaces
   * installed the app, and whose tokens are refused).
   */
  details?: ReadonlyArray<{ name: string; read: () => Promise<unknown> }>;
}

/**
 * `GET /healthz`: 200 while Redis answers a PING within a second, 503 otherwise, with each
 * platform's state in the JSON (`"discord": "unauthorized since …"`): the chat platforms this
 * process has a token for, those a worker anywhere delivers to, and any platform (the console
 * too) whose channels are subscribed while no process delivers to it (`"discord": "no worker
 * since …"`). Neither a paused nor an unserved platform makes the process unhealthy: restarting
 * it would not help, a token does. Both make the status `degraded`.
 */
export function healthRoute(options: HealthRouteOptions): Route {
  return {
    method: 'GET',
    path: '/healthz',
    handler: async (_req, res) => {
      try {
        await withTimeout(options.ping(), 1_000);
      } catch {
        reply(res, 503, { status: 'unavailable', redis: 'down' });
        return;
      }
      const deployment = options.deployment
        ? await withTimeout(options.deployment(), 1_000).catch(() => null)
        : null;
      const listed = new Set(options.platforms);
      // What every process serves (the console) is listed only when it is not.
      for (const platform of deployment?.served ?? [])
        if (PLATFORMS[platform].chat) listed.add(platform);
      const platforms: Record<string, string> = {};
      let degraded = false;
      for (const platform of listed) {
        const state = await withTimeout(options.platformState(platform), 1_000).catch(() => null);
        platforms[platform] = state ? describePlatformState(state) : 'unknown';
        degraded ||= state?.state !== 'ok';
      }
      for (const unserved of deployment?.unserved ?? []) {
        platforms[unserved.platform] = describeUnserved(unserved);
        degraded = true;
      }
      // One workspace's refused token is that workspace's matter: listed, not "degraded".
      const details: Record<string, unknown> = {};
      for (const { name, read } of options.details ?? []) {
        details[name] = await withTimeout(read(), 1_000).catch(() => 'unknown');
      }
      reply(res, 200, {
        status: degraded ? 'degraded' : 'ok',
        redis: 'up',
        platforms,
        ...details,
      });
    },
  };
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
