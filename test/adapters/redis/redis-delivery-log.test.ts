import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisDeliveryLog } from '../../../adapters/redis/redis-delivery-log.js';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { migrateDeliveryState } from '../../../adapters/redis/redis-migrations.js';
import { RedisSubscriptionStore } from '../../../adapters/redis/redis-subscription-store.js';
import type { DeliveryTarget } from '../../../src/ports/delivery-log.js';
import { channelKey, type ChannelRef } from '../../../src/model/subscription.js';
import { unsubscribeChannel } from '../../../src/pipeline/deliver/unsubscribe.js';
import { deliveryLogContract } from '../../contracts/delivery-log.contract.js';
import { openRedisStores } from '../../contracts/redis-stores.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

deliveryLogContract('RedisDeliveryLog', openRedisStores);

let test: TestRedis;
let keys: RedisKeys;
let log: RedisDeliveryLog;
let subscriptions: RedisSubscriptionStore;

const SOURCE = 'k-esg.org-post';
const channel = (id: string): ChannelRef => ({
  platform: 'slack',
  workspaceId: 'T1',
  channelId: id,
});
const target = (boardNo: number, id = 'C1'): DeliveryTarget => ({
  sourceId: SOURCE,
  boardNo,
  channel: channel(id),
});

beforeEach(async () => {
  test = await connectTestRedis();
  keys = new RedisKeys(test.prefix);
  log = new RedisDeliveryLog(test.redis, keys, { retentionMs: 60_000 });
  subscriptions = new RedisSubscriptionStore(test.redis, keys);
  for (const id of ['C1', 'C2']) {
    await subscriptions.subscribe(SOURCE, {
      ...channel(id),
      keywords: [],
      createdAt: '2026-11-29',
    });
  }
});

afterEach(() => test.cleanup());

async function open(boardNo: number, id = 'C1') {
  const turn = await log.openChannel(target(boardNo, id), 5_000);
  if (turn.kind !== 'open') throw new Error(`turn ${turn.kind}`);
  return turn;
}

describe('RedisDeliveryLog keys', () => {
  it('keeps one bit per settled delivery, expiring with the retention', async () => {
    await log.markPending([target(7, 'C1'), target(7, 'C2')], new Date());
    await log.recordDelivered(target(7, 'C1'), new Date());
    await log.recordDelivered(target(7, 'C2'), new Date());
    const bitmap = keys.settled(SOURCE, 7);
    expect(await test.redis.type(bitmap)).toBe('string');
    expect(await test.redis.bitcount(bitmap)).toBe(2);
    expect(await test.redis.strlen(bitmap)).toBeLessThanOrEqual(1);
    expect(await test.redis.ttl(bitmap)).toBeGreaterThan(50);
  });

  it('leaves no key or hash field of a channel that unsubscribed', async () => {
    await log.markPending([target(1, 'C1'), target(2, 'C1'), target(1, 'C2')], new Date());
    await log.recordDelivered(target(1, 'C1'), new Date());
    await log.recordUndeliverable(target(2, 'C1'), 'given-up', 'Slack: HTTP 500', new Date());
    await log.markPending([target(3, 'C1')], new Date());

    const deps = { subscriptions, deliveryLog: log, sourceIds: () => Promise.resolve([SOURCE]) };
    expect(await unsubscribeChannel(deps, channel('C1'))).toEqual([SOURCE]);
    const left = await test.redis.keys(`${test.prefix}:*`);
    const c1 = channelKey(channel('C1'));
    expect(left.filter((key) => key.includes(c1))).toEqual([]);
    for (const hash of [keys.channelLastDelivery(), keys.channelProblems(), keys.channelIds()]) {
      expect(await test.redis.hexists(hash, c1)).toBe(0);
    }
    expect(await test.redis.hexists(keys.owing(), `${SOURCE}|${c1}`)).toBe(0);
  });
});

describe('migrating delivery state written by 0.1', () => {
  it('indexes old pending sets, converts recent delivery hashes to bits, and deletes the hashes', async () => {
    const c1 = channelKey(channel('C1'));
    const c2 = channelKey(channel('C2'));
    // 0.1: pending sets without an index, a hash per post of channel → time, 90-day TTL.
    await test.redis.zadd(keys.pendingDeliveries(SOURCE, c1), 12, '12');
    await test.redis.zadd(`${test.prefix}:pending:${SOURCE}:slack-T1-GONE`, 12, '12');
    const recent = `${test.prefix}:delivered:${SOURCE}:11`;
    await test.redis.hset(recent, c1, Date.now(), c2, Date.now());
    await test.redis.expire(recent, 90 * 24 * 3600 - 60);
    const old = `${test.prefix}:delivered:${SOURCE}:5`;
    await test.redis.hset(old, c1, Date.now() - 80 * 24 * 3600_000);
    await test.redis.expire(old, 10 * 24 * 3600);

    const logger = pino({ level: 'silent' });
    await migrateDeliveryState(test.redis, keys, { retentionMs: 25 * 3600_000, logger });
    await migrateDeliveryState(test.redis, keys, { retentionMs: 25 * 3600_000, logger });

    expect(await log.newestOwed(SOURCE, channel('C1'))).toBe(12);
    const owing: string[] = [];
    for await (const batch of log.owing()) for (const o of batch) owing.push(o.channel.channelId);
    expect(owing).toEqual(['C1']); // the unsubscribed channel's set was deleted
    expect(await test.redis.keys(`${test.prefix}:delivered:*`)).toEqual([]);
    expect(await test.redis.bitcount(keys.settled(SOURCE, 11))).toBe(2);
    expect(await test.redis.exists(keys.settled(SOURCE, 5))).toBe(0);

    // A re-run of post 11's fan-out owes it to nobody.
    await log.markPending([target(11, 'C1'), target(11, 'C2')], new Date());
    expect((await open(12)).owed).toEqual([12]);
  });
});
