import { describePlatformState, type PlatformState } from '../../src/platform-status.js';
import type { Platform } from '../../src/subscription.js';
import { reply, type Route } from './http-server.js';

export interface HealthRouteOptions {
  /** Resolves while Redis answers. */
  ping: () => Promise<unknown>;
  /** The chat platforms this deployment delivers to. */
  platforms: readonly Platform[];
  platformState: (platform: Platform) => Promise<PlatformState>;
  /** Slack's OAuth mode: how many workspaces installed the app, and whose tokens are refused. */
  slackWorkspaces?: (() => Promise<{ installed: number; paused: number }>) | undefined;
}

/**
 * `GET /healthz`: 200 while Redis answers a PING within a second, 503 otherwise, with each
 * platform's state in the JSON (`"discord": "unauthorized since …"`). A paused platform does
 * not make the process unhealthy: restarting it would not help, a new token does.
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
      const platforms: Record<string, string> = {};
      let degraded = false;
      for (const platform of options.platforms) {
        const state = await withTimeout(options.platformState(platform), 1_000).catch(() => null);
        platforms[platform] = state ? describePlatformState(state) : 'unknown';
        degraded ||= state?.state !== 'ok';
      }
      // One workspace's refused token is that workspace's matter: listed, not "degraded".
      const slackWorkspaces = options.slackWorkspaces
        ? await withTimeout(options.slackWorkspaces(), 1_000).catch(() => 'unknown')
        : undefined;
      reply(res, 200, {
        status: degraded ? 'degraded' : 'ok',
        redis: 'up',
        platforms,
        ...(slackWorkspaces !== undefined ? { slackWorkspaces } : {}),
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
