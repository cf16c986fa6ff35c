import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexFollows } from '../../../adapters/redis/redis-follow-index.js';
import { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisPostArchive } from '../../../adapters/redis/redis-post-archive.js';
import { RedisSourceRegistry } from '../../../adapters/redis/redis-source-registry.js';
import { RedisSubscriptionStore } from '../../../adapters/redis/redis-subscription-store.js';
import type { SourceRecord } from '../../../src/ports/source-registry.js';
import type { Subscription } from '../../../src/model/subscription.js';
import type { FollowLimits } from '../../../src/ports/subscription-store.js';
import { tenantOf } from '../../../src/model/tenant.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

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

const LIMITS: FollowLimits = { perChannel: 10, perTenant: 20, sources: 100 };

function channel(workspaceId: string, channelId: string, platform: 'slack' | 'discord' = 'slack') {
  return { platform, workspaceId, channelId };
}

function subscription(workspaceId: string, channelId: string): Subscription {
  return { ...channel(workspaceId, channelId), keywords: [], createdAt: '2026-12-07T00:00:00Z' };
}

function chatSource(name: string, url = `https://feeds.example.com/${name}.xml`): SourceRecord {
  return {
    name,
    url,
    origin: 'chat',
    displayName: null,
    kind: 'feed',
    addedAt: '2026-12-07T00:00:00Z',
  };
}

describe('following sources atomically', () => {
  it('registers at most as many sources as the global limit allows, however many follows race', async () => {
    const limits = { ...LIMITS, sources: 5, perTenant: 100, perChannel: 100 };
    const outcomes = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        store.follow(`feed-${i}`, subscription('T1', `C${i}`), {
          limits,
          register: chatSource(`feed-${i}`),
        }),
      ),
    );
    // The configured source takes one of the five places.
    expect(outcomes.filter((o) => o.kind === 'registered')).toHaveLength(4);
    expect(outcomes.filter((o) => o.kind === 'refused')).toEqual(
      Array.from({ length: 21 }, () => ({ kind: 'refused', reason: 'sources-full' })),
    );
    expect(await registry.list()).toHaveLength(5);
  });

  it('lets one channel follow ten sources and one tenant twenty chat-added ones, under concurrency', async () => {
    const perChannel = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        store.follow(`one-${i}`, subscription('T1', 'C-ONE'), {
          limits: LIMITS,
          register: chatSource(`one-${i}`),
        }),
      ),
    );
    expect(perChannel.filter((o) => o.kind === 'registered')).toHaveLength(10);
    expect(await store.followedBy(channel('T1', 'C-ONE'))).toHaveLength(10);

    const perTenant = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        store.follow(`many-${i}`, subscription('T2', `C${i}`), {
          limits: LIMITS,
          register: chatSource(`many-${i}`),
        }),
      ),
    );
    expect(perTenant.filter((o) => o.kind === 'registered')).toHaveLength(20);
    expect(perTenant.filter((o) => o.kind === 'refused')).toEqual(
      Array.from({ length: 10 }, () => ({ kind: 'refused', reason: 'tenant-full' })),
    );
    expect(await store.tenantSources(tenantOf(channel('T2', 'C0')))).toHaveLength(20);
    // Sources nobody could follow were never registered, so nothing reads them.
    expect(await registry.list()).toHaveLength(1 + 10 + 20);
  });

  it('counts a chat-added source once per tenant, and configured sources in no tenant’s budget', async () => {
    const limits = { ...LIMITS, perTenant: 1 };
    const feed = chatSource('shared');
    expect(
      await store.follow('shared', subscription('T1', 'C1'), { limits, register: feed }),
    ).toEqual({ kind: 'registered' });
    // A second channel of the tenant follows the same source: still one of its one place.
    expect(
      await store.follow('shared', subscription('T1', 'C2'), { limits, requireSource: true }),
    ).toEqual({ kind: 'followed' });
    // The configured source is everyone's.
    expect(await store.follow('esg', subscription('T1', 'C1'), { limits })).toEqual({
      kind: 'followed',
    });
    // Another tenant shares the fetch: the source is registered once.
    expect(
      await store.follow('shared', subscription('T2', 'C1'), { limits, register: feed }),
    ).toEqual({ kind: 'followed' });
    expect(await store.tenantSources(tenantOf(channel('T1', 'C1')))).toEqual(['shared']);
    expect(await store.tenantSources(tenantOf(channel('T2', 'C1')))).toEqual(['shared']);
    expect(
      await store.follow('other', subscription('T1', 'C3'), {
        limits,
        register: chatSource('other'),
      }),
    ).toEqual({ kind: 'refused', reason: 'tenant-full' });
  });

  it('refuses a name another URL holds, and a follow of a source released a moment ago', async () => {
    await store.follow('feed', subscription('T1', 'C1'), { register: chatSource('feed') });
    expect(
      await store.follow('feed', subscription('T2', 'C1'), {
        register: chatSource('feed', 'https://elsewhere.example.com/rss'),
      }),
    ).toEqual({ kind: 'refused', reason: 'name-taken' });

    expect(await store.unsubscribe('feed', channel('T1', 'C1'))).toBe('released');
    expect(await store.follow('feed', subscription('T2', 'C1'), { requireSource: true })).toEqual({
      kind: 'refused',
      reason: 'unknown-source',
    });
    // In its grace period the name stays reserved for its own URL…
    expect(
      await store.follow('feed', subscription('T2', 'C1'), {
        register: chatSource('feed', 'https://elsewhere.example.com/rss'),
      }),
    ).toEqual({ kind: 'refused', reason: 'name-taken' });
    // …which gets it back.
    expect(
      await store.follow('feed', subscription('T2', 'C1'), { register: chatSource('feed') }),
    ).toEqual({ kind: 'registered' });
    expect((await registry.released()).map((s) => s.name)).toEqual([]);
  });

  it('releases a chat-added source with its last follower, and takes it out of the tenant’s view', async () => {
    const feed = chatSource('feed');
    await store.follow('feed', subscription('T1', 'C1'), { register: feed });
    await store.follow('feed', subscription('T1', 'C2'), { requireSource: true });
    expect(await store.unsubscribe('feed', channel('T1', 'C1'))).toBe('unfollowed');
    expect(await store.tenantSources(tenantOf(channel('T1', 'C1')))).toEqual(['feed']);
    expect(await store.unsubscribe('feed', channel('T1', 'C2'))).toBe('released');
    expect(await store.unsubscribe('feed', channel('T1', 'C2'))).toBe('not-following');
    expect(await store.tenantSources(tenantOf(channel('T1', 'C1')))).toEqual([]);
    expect(await registry.get('feed')).toBeNull();
    expect((await registry.released()).map((s) => s.name)).toEqual(['feed']);
    // A configured source is never released.
    await store.subscribe('esg', subscription('T1', 'C1'));
    expect(await store.unsubscribe('esg', channel('T1', 'C1'))).toBe('unfollowed');
    expect(await registry.get('esg')).not.toBeNull();
  });

  it('keeps a DM conversation a tenant of its own', async () => {
    const dm = (id: string) => ({
      ...channel('dm', id, 'discord'),
      keywords: [],
      createdAt: '2026-12-07T00:00:00Z',
    });
    await store.follow('feed', dm('D1'), { register: chatSource('feed') });
    expect(await store.tenantSources(tenantOf(dm('D1')))).toEqual(['feed']);
    expect(await store.tenantSources(tenantOf(dm('D2')))).toEqual([]);
  });

  it('deletes a released source’s data after its grace period, unless it is followed again', async () => {
    const archive = new RedisPostArchive(t.redis, keys);
    const post = (sourceId: string) => ({
      sourceId,
      boardNo: 1,
      title: '제목',
      ministry: null,
      date: '2026-12-07',
      url: 'https://feeds.example.com/1',
      originalUrl: null,
    });
    for (const name of ['gone', 'back']) {
      await store.follow(name, subscription('T1', 'C1'), { register: chatSource(name) });
      await archive.save([post(name)]);
      await store.unsubscribe(name, channel('T1', 'C1'));
    }
    await store.follow('back', subscription('T1', 'C1'), { register: chatSource('back') });

    const releasedAt = new Date((await registry.released())[0]!.releasedAt);
    // Not yet past the grace period: nothing goes.
    expect(await registry.purgeReleased('gone', releasedAt)).toBe(false);
    expect(await archive.get('gone', 1)).not.toBeNull();

    const later = new Date(releasedAt.getTime() + 1);
    expect(await registry.purgeReleased('gone', later)).toBe(true);
    expect(await archive.get('gone', 1)).toBeNull();
    expect(await t.redis.keys(`${t.prefix}:*:gone`)).toEqual([]);
    // Followed again in its grace period: its data is its own again.
    expect(await registry.purgeReleased('back', later)).toBe(false);
    expect(await archive.get('back', 1)).not.toBeNull();
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

  it('counts subscriptions per platform, for health checks and metrics in one read', async () => {
    await store.subscribe('esg', subscription('T1', 'C1'));
    await store.subscribe('esg', subscription('T1', 'C1')); // a repeat replaces, counts once
    await store.subscribe('esg', subscription('T1', 'C2'));
    await store.follow('esg', {
      ...channel('G1', '123', 'discord'),
      keywords: [],
      createdAt: '2026-12-07T00:00:00Z',
    });
    expect(await store.countByPlatform()).toEqual({ slack: 2, discord: 1 });
    await store.unsubscribe('esg', channel('T1', 'C1'));
    await store.unsubscribe('esg', channel('T1', 'C1'));
    await store.unsubscribe('esg', channel('G1', '123', 'discord'));
    expect(await store.countByPlatform()).toEqual({ slack: 1 });
  });
});
