import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisSourceStateStore } from '../../../adapters/redis/redis-source-state.js';
import { openRedisStores } from '../../contracts/redis-stores.js';
import { sourceStateStoreContract } from '../../contracts/source-state-store.contract.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

sourceStateStoreContract('RedisSourceStateStore', openRedisStores);

const SOURCE = 'esg';
const AT = new Date('2026-11-20T00:00:00Z');

let t: TestRedis;
let keys: RedisKeys;
let states: RedisSourceStateStore;

beforeEach(async () => {
  t = await connectTestRedis();
  keys = new RedisKeys(t.prefix);
  states = new RedisSourceStateStore(t.redis, keys);
});
afterEach(() => t.cleanup());

describe('source state in Redis', () => {
  it('reads a state written before titles and quiet spells as having none', async () => {
    await t.redis.hset(keys.sourceState(SOURCE), { cursor: '1652', lastSuccessAt: AT.getTime() });
    const state = await states.get(SOURCE);
    expect(state).toMatchObject({ cursor: 1652, lastSuccessAt: AT });
    expect(state.title).toBeUndefined();
    expect(state.lastNewAt).toBeUndefined();
  });
});
