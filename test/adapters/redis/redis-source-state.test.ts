import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisSourceStateStore } from '../../../adapters/redis/redis-source-state.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

const SOURCE = 'esg';
const AT = new Date('2026-11-20T00:00:00Z');
const later = (ms: number) => new Date(AT.getTime() + ms);

let t: TestRedis;
let keys: RedisKeys;
let states: RedisSourceStateStore;

beforeEach(async () => {
  t = await connectTestRedis();
  keys = new RedisKeys(t.prefix);
  states = new RedisSourceStateStore(t.redis, keys);
});
afterEach(() => t.cleanup());

describe('source state: title and quiet spells', () => {
  it('keeps the last title a read had, and the time new items were last found', async () => {
    await states.recordSuccess(SOURCE, AT, {}, { title: 'ESG 정책뉴스', newItemsAt: AT });
    await states.recordSuccess(SOURCE, later(1_000), {}, { title: null });
    expect(await states.get(SOURCE)).toMatchObject({
      title: 'ESG 정책뉴스',
      lastNewAt: AT,
      lastSuccessAt: later(1_000),
    });
  });

  it('lets one caller announce a quiet spell, and new items start the next one', async () => {
    await states.recordSuccess(SOURCE, AT, {}, { newItemsAt: AT });
    expect(await states.claimStaleNotice(SOURCE, AT)).toBe(true);
    expect(await states.claimStaleNotice(SOURCE, AT)).toBe(false);
    expect((await states.get(SOURCE)).staleNoticedSince).toEqual(AT);

    // A read with nothing new keeps the spell announced.
    await states.recordSuccess(SOURCE, later(1_000), {});
    expect(await states.claimStaleNotice(SOURCE, AT)).toBe(false);

    await states.recordSuccess(SOURCE, later(2_000), {}, { newItemsAt: later(2_000) });
    const state = await states.get(SOURCE);
    expect(state.staleNoticedSince).toBeUndefined();
    expect(state.lastNewAt).toEqual(later(2_000));
    expect(await states.claimStaleNotice(SOURCE, later(2_000))).toBe(true);
  });

  it('reads a state written before titles and quiet spells as having none', async () => {
    await t.redis.hset(keys.sourceState(SOURCE), { cursor: '1652', lastSuccessAt: AT.getTime() });
    const state = await states.get(SOURCE);
    expect(state).toMatchObject({ cursor: 1652, lastSuccessAt: AT });
    expect(state.title).toBeUndefined();
    expect(state.lastNewAt).toBeUndefined();
  });
});
