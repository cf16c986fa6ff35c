import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisSendLimiter } from '../../../adapters/redis/redis-send-limiter.js';
import { channelKey, type ChannelRef } from '../../../src/model/subscription.js';
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

/**
 * Redis's clock, in ms, read as the limiter's script reads it: the waits it answers are
 * measured on it, so a wait is checked against readings of it taken around the call, exactly.
 */
async function redisNow(): Promise<number> {
  const [seconds, micros] = await test.redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** The workspace window and a channel's spacing: a second, and 5 % for the trip to Slack. */
const WINDOW_MS = 1_050;
const SPACING_MS = 1_050;

describe('RedisSendLimiter', () => {
  it('gives a workspace its rate across processes, then says how long to wait', async () => {
    const taken: number[] = [];
    for (let i = 0; i < 5; i++) {
      const who = i % 2 === 0 ? limiter : other;
      taken.push(await who.tryTake(channel('T1', `C${i}`)));
    }
    expect(taken).toEqual([0, 0, 0, 0, 0]);
    // When the first of the five was taken, on Redis's clock: the window frees a place then.
    const windowKey = new RedisKeys(test.prefix).sendWindow('slack', 'T1');
    const [, oldest] = await test.redis.zrange(windowKey, 0, 0, 'WITHSCORES');
    const freesAt = Number(oldest) + WINDOW_MS;
    for (let i = 5; i < 8; i++) {
      const who = i % 2 === 0 ? limiter : other;
      const asked = await redisNow();
      const wait = await who.tryTake(channel('T1', `C${i}`));
      const answered = await redisNow();
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeGreaterThanOrEqual(freesAt - answered);
      expect(wait).toBeLessThanOrEqual(freesAt - asked);
    }
  });

  it('spaces messages to one channel a second apart', async () => {
    expect(await limiter.tryTake(channel('T1', 'C1'))).toBe(0);
    // When it was taken, on Redis's clock, as the limiter keeps it.
    const spacingKey = new RedisKeys(test.prefix).channelSendSpacing(
      channelKey(channel('T1', 'C1')),
    );
    const sentAt = Number(await test.redis.get(spacingKey));
    const asked = await redisNow();
    const wait = await other.tryTake(channel('T1', 'C1'));
    const answered = await redisNow();
    // Until a spacing after the first message, measured from when the second was asked.
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeGreaterThanOrEqual(sentAt + SPACING_MS - answered);
    expect(wait).toBeLessThanOrEqual(sentAt + SPACING_MS - asked);
    // Another channel of the same workspace is not held by it.
    expect(await limiter.tryTake(channel('T1', 'C2'))).toBe(0);
  });

  it('never makes one workspace wait for another, nor for its 429', async () => {
    for (let i = 0; i < 5; i++) expect(await limiter.tryTake(channel('T-busy', `C${i}`))).toBe(0);
    expect(await limiter.tryTake(channel('T-busy', 'C9'))).toBeGreaterThan(0);
    const held = await redisNow();
    await limiter.holdWorkspace(channel('T-held', 'C1'), 30_000);
    const wait = await other.tryTake(channel('T-held', 'C2'));
    const answered = await redisNow();
    // The rest of the 30 s hold, whichever process asks and for whichever channel.
    expect(wait).toBeGreaterThanOrEqual(held + 30_000 - answered);
    expect(wait).toBeLessThanOrEqual(30_000);
    expect(await other.tryTake(channel('T-quiet', 'C1'))).toBe(0);
  });

  it('takes nothing when it answers with a wait', async () => {
    for (let i = 0; i < 5; i++) await limiter.tryTake(channel('T1', `C${i}`));
    for (let i = 0; i < 20; i++) await limiter.tryTake(channel('T1', `D${i}`));
    const window = await test.redis.zcard(new RedisKeys(test.prefix).sendWindow('slack', 'T1'));
    expect(window).toBe(5);
  });
});
