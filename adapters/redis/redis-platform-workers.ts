import type { PlatformWorkerStore } from '../../src/ports/platform-worker-store.js';
import type { Platform } from '../../src/platforms/platform-registry.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';

/**
 * The deployment's delivery workers in one Redis hash: platform → when a process last announced
 * it runs that platform's delivery worker (epoch ms, the announcing process's clock). The last
 * writer wins: processes announcing the same platform keep it fresh between them.
 */
export class RedisPlatformWorkerStore implements PlatformWorkerStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async announce(platforms: readonly Platform[], at: Date): Promise<void> {
    if (platforms.length === 0) return;
    const fields = Object.fromEntries(platforms.map((p) => [p, String(at.getTime())]));
    await this.redis.hset(this.keys.platformWorkers(), fields);
  }

  async lastSeen(): Promise<ReadonlyMap<Platform, Date>> {
    const stored = await this.redis.hgetall(this.keys.platformWorkers());
    const seen = new Map<Platform, Date>();
    for (const [field, ms] of Object.entries(stored)) {
      const at = Number(ms);
      // Fields are written by `announce` only: a platform name, as a release knows them.
      if (Number.isFinite(at)) seen.set(field as Platform, new Date(at));
    }
    return seen;
  }
}
