import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';

/** How long this process trusts what it last read of a workspace's pause. */
const CACHE_MS = 1_000;

/**
 * Slack workspaces whose bot token Slack refused, shared by every process: their deliveries
 * wait (nobody is unsubscribed, nothing owed is dropped) while every other workspace goes on,
 * and one probe per interval, whichever process makes it, resumes them. A reinstall clears
 * the pause (see `RedisSlackInstallations.storeInstallation`).
 */
export class RedisWorkspacePauses {
  private readonly cache = new Map<string, { paused: boolean; until: number }>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async isPaused(teamId: string): Promise<boolean> {
    const hit = this.cache.get(teamId);
    if (hit && hit.until > Date.now()) return hit.paused;
    const paused = (await this.redis.hexists(this.keys.slackPausedWorkspaces(), teamId)) === 1;
    this.remember(teamId, paused);
    return paused;
  }

  /** Pauses the workspace; true only for the caller that paused it (it logs the pause). */
  async pause(teamId: string, reason: string, at = new Date()): Promise<boolean> {
    this.remember(teamId, true);
    const json = JSON.stringify({ since: at.toISOString(), reason });
    return (await this.redis.hsetnx(this.keys.slackPausedWorkspaces(), teamId, json)) === 1;
  }

  /** Ends the pause; true when the workspace was paused. */
  async resume(teamId: string): Promise<boolean> {
    this.remember(teamId, false);
    return (await this.redis.hdel(this.keys.slackPausedWorkspaces(), teamId)) > 0;
  }

  /** True for at most one caller per `intervalMs` across all processes. */
  async claimProbe(teamId: string, intervalMs: number): Promise<boolean> {
    const key = this.keys.slackWorkspaceProbe(teamId);
    return (await this.redis.set(key, '1', 'PX', intervalMs, 'NX')) === 'OK';
  }

  /** Paused workspaces: team id → since when and why. */
  async list(): Promise<Map<string, { since: Date; reason: string }>> {
    const all = await this.redis.hgetall(this.keys.slackPausedWorkspaces());
    return new Map(
      Object.entries(all).map(([teamId, json]) => {
        const { since, reason } = JSON.parse(json) as { since: string; reason: string };
        return [teamId, { since: new Date(since), reason }];
      }),
    );
  }

  private remember(teamId: string, paused: boolean): void {
    this.cache.set(teamId, { paused, until: Date.now() + CACHE_MS });
  }
}
