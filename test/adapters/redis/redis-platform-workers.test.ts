import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisPlatformWorkerStore } from '../../../adapters/redis/redis-platform-workers.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

const AT = new Date('2026-11-20T00:00:00Z');
const later = (ms: number) => new Date(AT.getTime() + ms);

let t: TestRedis;
let store: RedisPlatformWorkerStore;

beforeEach(async () => {
  t = await connectTestRedis();
  store = new RedisPlatformWorkerStore(t.redis, new RedisKeys(t.prefix));
});
afterEach(() => t.cleanup());

describe('platform workers in Redis', () => {
  it('keeps when each platform was last announced, by whichever process', async () => {
    expect(await store.lastSeen()).toEqual(new Map());
    await store.announce(['slack', 'console'], AT);
    await store.announce(['discord', 'console'], later(15_000));
    await store.announce([], later(30_000));
    expect(await store.lastSeen()).toEqual(
      new Map([
        ['slack', AT],
        ['console', later(15_000)],
        ['discord', later(15_000)],
      ]),
    );
    // One small hash under the deployment's prefix.
    expect(await t.redis.hgetall(`${t.prefix}:platform-workers`)).toEqual({
      slack: String(AT.getTime()),
      console: String(later(15_000).getTime()),
      discord: String(later(15_000).getTime()),
    });
  });
});
