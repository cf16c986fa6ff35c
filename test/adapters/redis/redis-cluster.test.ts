import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Cluster } from 'ioredis';
import { connectRedis } from '../../../adapters/redis/redis-connection.js';
import { RedisDeliveryLog } from '../../../adapters/redis/redis-delivery-log.js';
import { RedisItemNumbers } from '../../../adapters/redis/redis-item-numbers.js';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { claimOnce, withRedisLock } from '../../../adapters/redis/redis-lock.js';
import { migrateDeliveryState } from '../../../adapters/redis/redis-migrations.js';
import { RedisPostArchive } from '../../../adapters/redis/redis-post-archive.js';
import { scanKeys } from '../../../adapters/redis/redis-scan.js';
import { migrateToNamedSources } from '../../../adapters/redis/redis-source-migration.js';
import { RedisSourceRegistry } from '../../../adapters/redis/redis-source-registry.js';
import { RedisSourceStateStore } from '../../../adapters/redis/redis-source-state.js';
import { RedisSubscriptionStore } from '../../../adapters/redis/redis-subscription-store.js';
import type { DeliveryTarget } from '../../../src/ports/delivery-log.js';
import { sourceIdFor } from '../../../src/model/post.js';
import { channelKey, type ChannelRef } from '../../../src/model/subscription.js';
import { describeNeeding, type Requirement } from '../../support/requirements.js';
import { LocalRedisCluster, missingClusterTools } from '../../support/redis-cluster.js';

/**
 * The bot's own Lua scripts, transactions and pipelines on a real 3-master cluster: each
 * names only keys of the deployment's hash tag, so each runs on the one master owning it.
 */
const missing = missingClusterTools();
/** `.ci/run` installs redis-server and sets REQUIRE_REDIS_CLUSTER=1: there a skip is a failure. */
const clusterTools: Requirement = {
  env: 'REQUIRE_REDIS_CLUSTER',
  available: missing.length === 0,
  missing: `${missing.join(' and ')} not on PATH (apt-get install redis-server)`,
};

const SOURCE = 'esg';
const logger = pino({ level: 'silent' });
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

let cluster: LocalRedisCluster;
let redis: Cluster;
let keys: RedisKeys;

describeNeeding(clusterTools, 'the Redis stores on a Redis Cluster', () => {
  beforeAll(async () => {
    cluster = await LocalRedisCluster.start();
    // As the app connects its stores: auto-pipelined, retried until the cluster answers.
    redis = (await connectRedis(
      { redisUrl: 'redis://127.0.0.1:6379', redisClusterNodes: cluster.nodes },
      { maxRetriesPerRequest: null, enableAutoPipelining: true },
    )) as Cluster;
  }, 60_000);

  afterAll(async () => {
    await redis?.quit();
    await cluster?.stop();
  });

  beforeEach(() => {
    keys = new RedisKeys(`{t-${randomUUID().slice(0, 8)}}`);
  });

  afterEach(async () => {
    // Every key the test wrote is the deployment's: under its hash tag, in one slot.
    const all = await allKeys('*');
    expect(all.filter((key) => !key.startsWith(`${keys.prefix}:`))).toEqual([]);
    const slots = new Set(await Promise.all(all.map((key) => redis.cluster('KEYSLOT', key))));
    expect(slots.size).toBeLessThanOrEqual(1);
    for (let i = 0; i < all.length; i += 500) await redis.del(...all.slice(i, i + 500));
  });

  it('runs every delivery-log script: owe, open, renew, settle, count, drop, forget', async () => {
    const subscriptions = new RedisSubscriptionStore(redis, keys);
    for (const id of ['C1', 'C2']) {
      await subscriptions.subscribe(SOURCE, { ...channel(id), keywords: [], createdAt: 'now' });
    }
    const log = new RedisDeliveryLog(redis, keys, { retentionMs: 60_000 });
    await log.markPending([target(3), target(1), target(2), target(1, 'C2')], new Date());

    const turn = await log.openChannel(target(3), 5_000);
    expect(turn).toMatchObject({ kind: 'open', owed: [1, 2, 3] });
    if (turn.kind !== 'open') return;
    expect(await log.renewChannel(channel('C1'), turn.turn, 5_000)).toBe(true);
    await log.recordDelivered(target(1), new Date());
    await log.recordUndeliverable(target(2), 'refused', 'Slack: invalid_blocks', new Date());
    await log.recordDelivered(target(3), new Date(), turn.turn);
    expect(await log.problems(channel('C1'))).toMatchObject({ refused: 1, givenUp: 0 });
    expect(await log.lastDelivered(channel('C1'))).toMatchObject({ boardNo: 3 });

    // A re-run owes nothing settled; the index names only the channel still owed.
    await log.markPending([target(1), target(2), target(3)], new Date());
    expect(await log.newestOwed(SOURCE, channel('C1'))).toBeNull();
    const owing: string[] = [];
    for await (const batch of log.owing()) owing.push(...batch.map((o) => o.channel.channelId));
    expect(owing).toEqual(['C2']);
    await log.dropPending(SOURCE, channel('C2'), 1);
    expect(await log.newestOwed(SOURCE, channel('C2'))).toBeNull();
    await log.forgetChannel(channel('C1'));
    expect(await log.lastDelivered(channel('C1'))).toBeNull();
    expect(await subscriptions.following(channel('C2'), [SOURCE, 'other'])).toHaveLength(1);
  });

  it('numbers feed items and forgets the oldest seen', async () => {
    const numbers = new RedisItemNumbers(redis, keys, 2);
    const first = await numbers.assign(SOURCE, [
      { key: 'a', ownNumber: 500 },
      { key: 'b', ownNumber: null },
    ]);
    expect(first).toEqual({
      firstRead: true,
      items: [
        { number: 500, seen: false },
        { number: 1, seen: false },
      ],
    });
    await numbers.markSeen(SOURCE, ['a', 'b'], new Date(1));
    await numbers.markSeen(SOURCE, ['c'], new Date(2));
    const again = await numbers.assign(SOURCE, [{ key: 'b', ownNumber: null }]);
    expect(again).toEqual({ firstRead: false, items: [{ number: 1, seen: true }] });
  });

  it('archives and searches posts, and keeps each source state and registry', async () => {
    const archive = new RedisPostArchive(redis, keys);
    const post = (boardNo: number, title: string, ministry: string) => ({
      sourceId: SOURCE,
      boardNo,
      title,
      ministry,
      date: '2026-11-28',
      url: `https://www.korea.kr/${boardNo}`,
      originalUrl: null,
    });
    await archive.save([post(7, '탄소중립 이행계획', '환경부'), post(8, '공급망 실사', '산업부')]);
    expect((await archive.search(SOURCE, ['탄소'], 5)).map((p) => p.boardNo)).toEqual([7]);
    expect((await archive.newest(SOURCE, 5)).map((p) => p.boardNo)).toEqual([8, 7]);

    const states = new RedisSourceStateStore(redis, keys);
    await states.advanceCursor(SOURCE, 8);
    await states.advanceCursor(SOURCE, 3);
    await states.recordFailure(SOURCE, new Date(1), 'HTTP 500');
    expect(await states.claimOutageNotice(SOURCE, new Date(1))).toBe(true);
    await states.recordSuccess(SOURCE, new Date(2), { etag: '"x"' });
    expect(await states.clearOutageNotice(SOURCE)).toEqual(new Date(1));
    expect(await states.get(SOURCE)).toMatchObject({ cursor: 8, failingSince: null });

    const registry = new RedisSourceRegistry(redis, keys);
    await registry.syncConfigured([{ name: SOURCE, url: 'https://example.org/feed' }]);
    expect((await registry.list()).map((s) => s.name)).toEqual([SOURCE]);
  });

  it('takes a lock and a one-time claim once across clients', async () => {
    const lock = keys.lock('poll-esg');
    const inner = await withRedisLock(redis, lock, 5_000, () =>
      withRedisLock(redis, lock, 5_000, () => Promise.resolve('twice')),
    );
    expect(inner).toEqual({ acquired: true, value: { acquired: false } });
    expect(await redis.exists(lock)).toBe(0);
    expect(await claimOnce(redis, keys.seenInteraction('i1'), 60)).toBe(true);
    expect(await claimOnce(redis, keys.seenInteraction('i1'), 60)).toBe(false);
  });

  it('migrates data of older releases, finding it with a scan of every master', async () => {
    const c1 = channelKey(channel('C1'));
    const subscription = JSON.stringify({ ...channel('C1'), keywords: [], createdAt: 'then' });
    const url = 'https://www.korea.kr/post';
    const legacy = sourceIdFor(url);
    await redis.hset(keys.legacySubscriptions(), c1, subscription);
    await redis.zadd(keys.postNumbers(legacy), 4, '4');
    await redis.zadd(keys.pendingDeliveries(legacy, c1), 4, '4');
    await redis.setbit(keys.settled(legacy, 3), 1, 1);
    const delivered = `${keys.prefix}:delivered:${SOURCE}:2`;
    await redis.hset(delivered, c1, Date.now());
    await redis.expire(delivered, 90 * 24 * 3600 - 60);

    await migrateToNamedSources(redis, keys, { defaultSource: { name: SOURCE, url }, logger });
    await migrateDeliveryState(redis, keys, { retentionMs: 3_600_000, logger });

    const log = new RedisDeliveryLog(redis, keys, { retentionMs: 3_600_000 });
    expect(await new RedisSubscriptionStore(redis, keys).count(SOURCE)).toBe(1);
    expect(await redis.zrange(keys.postNumbers(SOURCE), 0, -1)).toEqual(['4']);
    expect(await log.newestOwed(SOURCE, channel('C1'))).toBe(4);
    expect(await redis.exists(keys.settled(SOURCE, 3))).toBe(1);
    expect(await redis.bitcount(keys.settled(SOURCE, 2))).toBe(1);
    expect(await allKeys(`${keys.prefix}:delivered:*`)).toEqual([]);
  });

  it('scans every master, reporting each key once', async () => {
    // Keys under many hash tags land on every master; a SCAN of one node would miss most.
    // They are outside the deployment's tag, so the test deletes them itself.
    const spread = Array.from({ length: 30 }, (_, i) => `scan:{tag-${i}}`);
    for (const key of spread) await redis.set(key, '1');
    const holders = await Promise.all(
      redis.nodes('master').map(async (node) => (await node.dbsize()) > 0),
    );
    expect(holders.filter(Boolean).length).toBeGreaterThan(1);

    const found: string[] = [];
    for await (const key of scanKeys(redis, 'scan:{tag-*}')) found.push(key);
    expect(found.sort()).toEqual([...spread].sort());
    for (const key of spread) await redis.del(key);
  });
});

/** Every key in the cluster matching `pattern`, straight from each master. */
async function allKeys(pattern: string): Promise<string[]> {
  const found: string[] = [];
  for (const node of redis.nodes('master')) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
  }
  return found;
}
