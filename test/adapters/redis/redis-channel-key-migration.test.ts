import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateChannelKeys } from '../../../adapters/redis/redis-channel-key-migration.js';
import { RedisChannelScheduleStore } from '../../../adapters/redis/redis-channel-schedules.js';
import { RedisDeliveryLog } from '../../../adapters/redis/redis-delivery-log.js';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisSubscriptionStore } from '../../../adapters/redis/redis-subscription-store.js';
import { channelKey, type ChannelRef, type Subscription } from '../../../src/model/subscription.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

let test: TestRedis;
let keys: RedisKeys;
let subscriptions: RedisSubscriptionStore;
beforeEach(async () => {
  test = await connectTestRedis();
  keys = new RedisKeys(test.prefix);
  subscriptions = new RedisSubscriptionStore(test.redis, keys);
});
afterEach(() => test.cleanup());

const logger = pino({ level: 'silent' });
/** The key the release before this one gave a channel: `-` kept inside the ids. */
const oldKey = (c: ChannelRef) => `${c.platform}-${c.workspaceId}-${c.channelId}`;
const subscription = (c: ChannelRef, keywords: string[] = []): Subscription => ({
  ...c,
  keywords,
  createdAt: '2026-11-01T00:00:00.000Z',
});

const REAL: ChannelRef = { platform: 'slack', workspaceId: 'T01ABC', channelId: 'C02DEF' };
const DASHED_TEAM: ChannelRef = { platform: 'console', workspaceId: 'my-team', channelId: 'news' };
const A: ChannelRef = { platform: 'console', workspaceId: 'T1-A', channelId: 'C1' };
const B: ChannelRef = { platform: 'console', workspaceId: 'T1', channelId: 'A-C1' };

describe('moving channel data to unambiguous channel keys', () => {
  it('moves subscriptions stored under an old key, and leaves real ids alone', async () => {
    const hashA = keys.subscriptions('esg');
    const hashB = keys.subscriptions('other');
    await test.redis.hset(hashA, oldKey(REAL), JSON.stringify(subscription(REAL, ['탄소'])));
    await test.redis.hset(hashA, oldKey(DASHED_TEAM), JSON.stringify(subscription(DASHED_TEAM)));
    // The collision: one old key, a different channel in each source.
    await test.redis.hset(hashA, oldKey(A), JSON.stringify(subscription(A, ['에너지'])));
    await test.redis.hset(hashB, oldKey(B), JSON.stringify(subscription(B, ['기후'])));
    expect(oldKey(A)).toBe(oldKey(B));
    expect(channelKey(REAL)).toBe(oldKey(REAL));

    await migrateChannelKeys(test.redis, keys, { logger });

    expect((await subscriptions.get('esg', REAL))?.keywords).toEqual(['탄소']);
    expect(await subscriptions.get('esg', DASHED_TEAM)).not.toBeNull();
    expect((await subscriptions.get('esg', A))?.keywords).toEqual(['에너지']);
    expect(await subscriptions.get('esg', B)).toBeNull();
    expect((await subscriptions.get('other', B))?.keywords).toEqual(['기후']);
    expect(await subscriptions.get('other', A)).toBeNull();
    expect((await test.redis.hkeys(hashA)).sort()).toEqual(
      [channelKey(REAL), channelKey(DASHED_TEAM), channelKey(A)].sort(),
    );
    expect(await test.redis.hkeys(hashB)).toEqual([channelKey(B)]);
  });

  it("moves the channel's schedule and what it is owed with it", async () => {
    await test.redis.hset(
      keys.subscriptions('esg'),
      oldKey(DASHED_TEAM),
      JSON.stringify(subscription(DASHED_TEAM)),
    );
    const schedule = { digest: { times: ['09:00'], weekdaysOnly: true }, quiet: null };
    await test.redis.hset(keys.channelSchedules(), oldKey(DASHED_TEAM), JSON.stringify(schedule));
    await test.redis.zadd(keys.pendingDeliveries('esg', oldKey(DASHED_TEAM)), 1652, '1652');
    const owing = { sourceId: 'esg', channel: DASHED_TEAM, since: Date.now() };
    await test.redis.hset(keys.owing(), `esg|${oldKey(DASHED_TEAM)}`, JSON.stringify(owing));

    await migrateChannelKeys(test.redis, keys, { logger });

    const schedules = new RedisChannelScheduleStore(test.redis, keys);
    expect(await schedules.get(DASHED_TEAM)).toEqual(schedule);
    const log = new RedisDeliveryLog(test.redis, keys, { retentionMs: 60_000 });
    expect(await log.newestOwed('esg', DASHED_TEAM)).toBe(1652);
    const owed = [];
    for await (const batch of log.owing()) owed.push(...batch);
    expect(owed.map((o) => o.channel)).toEqual([DASHED_TEAM]);
    expect(await test.redis.hkeys(keys.owing())).toEqual([`esg|${channelKey(DASHED_TEAM)}`]);
    expect(await test.redis.exists(keys.pendingDeliveries('esg', oldKey(DASHED_TEAM)))).toBe(0);
  });

  it('keeps a subscription this release already wrote under the new key, and runs once', async () => {
    await subscriptions.subscribe('esg', subscription(DASHED_TEAM, ['새것']));
    await test.redis.hset(
      keys.subscriptions('esg'),
      oldKey(DASHED_TEAM),
      JSON.stringify(subscription(DASHED_TEAM, ['옛것'])),
    );
    await migrateChannelKeys(test.redis, keys, { logger });
    expect((await subscriptions.get('esg', DASHED_TEAM))?.keywords).toEqual(['새것']);
    expect(await subscriptions.count('esg')).toBe(1);

    // Marked done: an old-key field written afterwards (by nothing of this release) stays.
    await test.redis.hset(keys.subscriptions('esg'), oldKey(A), JSON.stringify(subscription(A)));
    await migrateChannelKeys(test.redis, keys, { logger });
    expect(await test.redis.hexists(keys.subscriptions('esg'), oldKey(A))).toBe(1);
  });
});
