import { createHmac } from 'node:crypto';
import type { InstallURLOptions } from '@slack/oauth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisOAuthStateStore } from '../../../adapters/slack/redis-oauth-states.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

const SECRET = 'state-secret-0123456789abcdef';
const OPTIONS: InstallURLOptions = { scopes: ['commands'] };

let t: TestRedis;
let keys: RedisKeys;
beforeEach(async () => {
  t = await connectTestRedis();
  keys = new RedisKeys(t.prefix);
});
afterEach(() => t.cleanup());

describe('OAuth install states', () => {
  it('never passes maxPending, however many processes start installs at once', async () => {
    // Two stores on two connections stand for two web processes.
    const other = await connectTestRedis();
    try {
      const limits = { maxPending: 20, perClient: 1_000 };
      const stores = [
        new RedisOAuthStateStore(t.redis, keys, SECRET, { limits }),
        new RedisOAuthStateStore(other.redis, keys, SECRET, { limits }),
      ];
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          stores[i % 2]!.startInstall({ ...OPTIONS }, `192.0.2.${i % 7}`),
        ),
      );
      expect(results.filter((r) => r.kind === 'started')).toHaveLength(20);
      expect(results.filter((r) => r.kind === 'full')).toHaveLength(40);
      expect(await t.redis.hlen(keys.slackOAuthStates())).toBe(20);
    } finally {
      await other.cleanup();
    }
  });

  it('hands Bolt only a state it started, and each state opens once', async () => {
    const store = new RedisOAuthStateStore(t.redis, keys, SECRET);
    await expect(store.generateStateParam({ ...OPTIONS })).rejects.toThrow(
      /only made by startInstall/,
    );
    const visit = { ...OPTIONS };
    expect(await store.startInstall(visit, '192.0.2.1')).toEqual({ kind: 'started' });
    const state = await store.generateStateParam(visit);
    await expect(store.generateStateParam(visit)).rejects.toThrow();
    expect(await store.verifyStateParam(new Date(), state)).toEqual(OPTIONS);
    await expect(store.verifyStateParam(new Date(), state)).rejects.toThrow(/used already/);
  });

  it('opens, once, a state stored by the release before the limits', async () => {
    const store = new RedisOAuthStateStore(t.redis, keys, SECRET);
    const nonce = 'legacy-nonce-0123456789abcdef';
    await t.redis.set(keys.slackOAuthState(nonce), JSON.stringify(OPTIONS), 'EX', 600);
    const state = `${nonce}.${createHmac('sha256', SECRET).update(nonce).digest('base64url')}`;
    expect(await store.verifyStateParam(new Date(), state)).toEqual(OPTIONS);
    await expect(store.verifyStateParam(new Date(), state)).rejects.toThrow(/used already/);
  });
});
