import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexFollows } from '../../../adapters/redis/redis-follow-index.js';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisPostArchive } from '../../../adapters/redis/redis-post-archive.js';
import { RedisSourceRegistry } from '../../../adapters/redis/redis-source-registry.js';
import { RedisSubscriptionStore } from '../../../adapters/redis/redis-subscription-store.js';
import { tenantOf } from '../../../src/model/tenant.js';
import { channel, chatSource, subscription } from '../../contracts/follow-fixtures.js';
import { openRedisStores } from '../../contracts/redis-stores.js';
import { sourceRegistryContract } from '../../contracts/source-registry.contract.js';
import { subscriptionStoreContract } from '../../contracts/subscription-store.contract.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

subscriptionStoreContract('RedisSubscriptionStore', openRedisStores);
sourceRegistryContract('RedisSourceRegistry', openRedisStores);

let t: TestRedis;
let keys: RedisKeys;
let store: RedisSubscriptionStore;
let registry: RedisSourceRegistry;

beforeEach(async () => {
  t = await connectTestRedis();
  keys = new RedisKeys(t.prefix);
  store = new RedisSubscriptionStore(t.redis, keys);
  registry = new RedisSourceRegistry(t.redis, keys);
  await registry.syncConfigured([{ name: 'esg', url: 'https://k-esg.org/post' }]);
});
afterEach(() => t.cleanup());

describe('follows in Redis', () => {
  it('deletes every key of a purged source', async () => {
    const archive = new RedisPostArchive(t.redis, keys);
    await store.follow('gone', subscription('T1', 'C1'), { register: chatSource('gone') });
    await archive.save([
      {
        sourceId: 'gone',
        boardNo: 1,
        title: '제목',
        ministry: null,
        date: '2026-12-07',
        url: 'https://feeds.example.com/1',
        originalUrl: null,
      },
    ]);
    await store.unsubscribe('gone', channel('T1', 'C1'));
    const releasedAt = new Date((await registry.released())[0]!.releasedAt);
    expect(await registry.purgeReleased('gone', new Date(releasedAt.getTime() + 1))).toBe(true);
    expect(await t.redis.keys(`${t.prefix}:*:gone`)).toEqual([]);
  });

  it('builds the indexes of subscriptions written before they existed', async () => {
    await t.redis.hset(
      keys.sources(),
      'old-feed',
      JSON.stringify(chatSource('old-feed', 'https://old.example.com/rss')),
    );
    for (const id of ['C1', 'C2']) {
      await t.redis.hset(
        keys.subscriptions('old-feed'),
        `slack-T1-${id}`,
        JSON.stringify(subscription('T1', id)),
      );
    }
    await t.redis.hset(
      keys.subscriptions('esg'),
      'slack-T1-C1',
      JSON.stringify(subscription('T1', 'C1')),
    );
    await indexFollows(t.redis, keys, ['esg', 'old-feed']);
    await indexFollows(t.redis, keys, ['esg', 'old-feed']); // twice changes nothing

    expect((await store.followedBy(channel('T1', 'C1'))).sort()).toEqual(['esg', 'old-feed']);
    expect(await t.redis.hgetall(keys.tenantSources(tenantOf(channel('T1', 'C1'))))).toEqual({
      'old-feed': '2',
    });
    expect(await store.unsubscribe('old-feed', channel('T1', 'C1'))).toBe('unfollowed');
    expect(await store.unsubscribe('old-feed', channel('T1', 'C2'))).toBe('released');
  });
});
