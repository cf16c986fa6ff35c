import type { RedisClient } from './redis-connection.js';
import type { PlatformState, PlatformStatusStore } from '../../src/ports/platform-status-store.js';
import type { Platform } from '../../src/platforms/platform-registry.js';
import type { RedisKeys } from './redis-keys.js';

interface StoredState {
  state: 'unauthorized';
  since: number;
  reason: string;
}

/**
 * Each platform's state in one Redis hash (platform → JSON of its pause; absent means `ok`),
 * with `<platform>:resumed` → when it was last resumed (epoch ms).
 */
export class RedisPlatformStatusStore implements PlatformStatusStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async get(platform: Platform): Promise<PlatformState> {
    const [json, resumed] = await this.redis.hmget(
      this.keys.platformStates(),
      platform,
      resumedField(platform),
    );
    if (json) return parse(json);
    return resumed ? { state: 'ok', resumedAt: new Date(Number(resumed)) } : { state: 'ok' };
  }

  async markUnauthorized(platform: Platform, at: Date, reason: string): Promise<boolean> {
    const stored: StoredState = { state: 'unauthorized', since: at.getTime(), reason };
    const set = await this.redis.hsetnx(
      this.keys.platformStates(),
      platform,
      JSON.stringify(stored),
    );
    return set === 1;
  }

  async markHealthy(platform: Platform, at = new Date()): Promise<PlatformState | null> {
    const key = this.keys.platformStates();
    const results = await this.redis.multi().hget(key, platform).hdel(key, platform).exec();
    const [json, removed] = (results ?? []).map(([, value]) => value);
    if (removed !== 1 || typeof json !== 'string') return null;
    await this.redis.hset(key, resumedField(platform), String(at.getTime()));
    return parse(json);
  }

  async claimProbe(platform: Platform, intervalMs: number): Promise<boolean> {
    const key = this.keys.lock(`probe-${platform}`);
    return (await this.redis.set(key, '1', 'PX', intervalMs, 'NX')) === 'OK';
  }
}

function resumedField(platform: Platform): string {
  return `${platform}:resumed`;
}

function parse(json: string): PlatformState {
  const stored = JSON.parse(json) as StoredState;
  return { state: 'unauthorized', since: new Date(stored.since), reason: stored.reason };
}
