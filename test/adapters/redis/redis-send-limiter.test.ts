import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisSendLimiter } from '../../../adapters/redis/redis-send-limiter.js';
import type { ChannelRef } from '../../../src/model/subscription.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

let test: TestRedis;
let limiter: RedisSendLimiter;
let other: RedisSendLimiter;
let otherConnection: TestRedis['redis'];

const channel = (workspaceId: string, channelId: string): ChannelRef => ({
  platform: 'slack',
  workspaceId,
  channelId,
});

beforeEach(async () => {
  test = await connectTestRedis();
  const keys = new RedisKeys(test.prefix);
  const limits = { perWorkspacePerSecond: 5, channelSpacingMs: 1_000 };
  limiter = new RedisSendLimiter(test.redis, keys, limits);
  // A second process's limiter: the places are shared through Redis.
  otherConnection = test.redis.duplicate();
  other = new RedisSendLimiter(otherConnection, keys, limits);
});

afterEach(async () => {
  otherConnection.disconnect();
  await test.cleanup();
});

describe('RedisSendLimiter', () => {
  it('gives a workspace its rate across processes, then says how long to wait', async () => {
    const taken: number[] = [];
    for (let i = 0; i < 8; i++) {
      const who = i % 2 === 0 ? limiter : other;
      taken.push(await who.tryTake(channel('T1', `C${i}`)));
    }
    expect(taken.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    for (const wait of taken.slice(5)) {
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(1_050);
    }
  });

  it('spaces messages to one channel a second apart', async () => {
    expect(await limiter.tryTake(channel('T1', 'C1'))).toBe(0);
    const wait = await other.tryTake(channel('T1', 'C1'));
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1_050);
    // Another channel of the same workspace is not held by it.
    expect(await limiter.tryTake(channel('T1', 'C2'))).toBe(0);
  });

  it('never makes one workspace wait for another, nor for its 429', async () => {
    for (let i = 0; i < 5; i++) expect(await limiter.tryTake(channel('T-busy', `C${i}`))).toBe(0);
    expect(await limiter.tryTake(channel('T-busy', 'C9'))).toBeGreaterThan(0);
    await limiter.holdWorkspace(channel('T-held', 'C1'), 30_000);
    expect(await other.tryTake(channel('T-held', 'C2'))).toBeGreaterThan(29_000);
    expect(await other.tryTake(channel('T-quiet', 'C1'))).toBe(0);
  });

  it('takes nothing when it answers with a wait', async () => {
    for (let i = 0; i < 5; i++) await limiter.tryTake(channel('T1', `C${i}`));
    for (let i = 0; i < 20; i++) await limiter.tryTake(channel('T1', `D${i}`));
    const window = await test.redis.zcard(new RedisKeys(test.prefix).sendWindow('slack', 'T1'));
    expect(window).toBe(5);
  });
});
