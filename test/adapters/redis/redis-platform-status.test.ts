import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisPlatformStatusStore } from '../../../adapters/redis/redis-platform-status.js';
import { failingLongEnough } from '../../../src/pipeline/deliver/delivery-failure.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

const AT = new Date('2026-11-20T00:00:00Z');
const later = (ms: number) => new Date(AT.getTime() + ms);
const DAY = 86_400_000;

let t: TestRedis;
let store: RedisPlatformStatusStore;

beforeEach(async () => {
  t = await connectTestRedis();
  store = new RedisPlatformStatusStore(t.redis, new RedisKeys(t.prefix));
});
afterEach(() => t.cleanup());

describe('platform state', () => {
  it('pauses once, resumes once, and remembers when it was resumed', async () => {
    expect(await store.get('discord')).toEqual({ state: 'ok' });
    expect(await store.markUnauthorized('discord', AT, 'Discord: 401')).toBe(true);
    expect(await store.markUnauthorized('discord', later(1), 'again')).toBe(false);
    expect(await store.get('discord')).toEqual({
      state: 'unauthorized',
      since: AT,
      reason: 'Discord: 401',
    });
    expect(await store.markHealthy('discord', later(2 * DAY))).toMatchObject({ since: AT });
    expect(await store.markHealthy('discord', later(3 * DAY))).toBeNull(); // was not paused
    expect(await store.get('discord')).toEqual({ state: 'ok', resumedAt: later(2 * DAY) });
    expect(await store.get('slack')).toEqual({ state: 'ok' });
  });
});

describe('giving a post up', () => {
  const deps = (now: Date, resumedAt: Date | null) => ({
    giveUpAfterMs: DAY,
    now: () => now,
    platforms: {
      isPaused: () => Promise.resolve(false),
      pause: () => Promise.resolve(),
      resume: () => Promise.resolve(),
      resumedAt: () => Promise.resolve(resumedAt),
    },
  });
  const post = { announcedAt: AT.getTime(), date: '2026-11-20' };

  it('counts from the announcement, or from the end of the last pause when that is later', async () => {
    expect(await failingLongEnough(deps(later(DAY - 1), null), post, 'discord')).toBe(false);
    expect(await failingLongEnough(deps(later(DAY), null), post, 'discord')).toBe(true);
    // Paused two days, resumed an hour ago: the first failure after the pause gives nothing up.
    const resumed = later(2 * DAY);
    expect(
      await failingLongEnough(deps(later(2 * DAY + 3_600_000), resumed), post, 'discord'),
    ).toBe(false);
    expect(await failingLongEnough(deps(later(3 * DAY), resumed), post, 'discord')).toBe(true);
    // A digest counts from its release.
    expect(
      await failingLongEnough(deps(later(DAY + 1), null), post, 'discord', later(DAY).getTime()),
    ).toBe(false);
  });
});
