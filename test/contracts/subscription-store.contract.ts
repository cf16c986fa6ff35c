import { describe, expect, it } from 'vitest';
import type { Subscription } from '../../src/model/subscription.js';
import { tenantOf } from '../../src/model/tenant.js';
import { channel, chatSource, LIMITS, subscription } from './follow-fixtures.js';
import { useStores, type OpenStores } from './stores.js';

/** What every `SubscriptionStore` does (with its registry), checked against `open`'s. */
export function subscriptionStoreContract(implementation: string, open: OpenStores): void {
  describe(`SubscriptionStore contract: ${implementation}`, () => {
    const stores = useStores(open);
    const store = () => stores().subscriptions;
    const registry = () => stores().registry;
    const sorted = async (names: Promise<string[]>) => (await names).sort();

    it('follows, replaces the keywords on a repeat, and reads the subscription back', async () => {
      await registry().syncConfigured([{ name: 'esg', url: 'https://k-esg.org/post' }]);
      expect(await store().follow('esg', subscription('T1', 'C1', ['탄소']))).toEqual({
        kind: 'followed',
      });
      expect(
        await store().follow('esg', subscription('T1', 'C1', ['"탄소 중립"', '-해외'])),
      ).toEqual({ kind: 'updated' });
      expect(await store().get('esg', channel('T1', 'C1'))).toEqual(
        subscription('T1', 'C1', ['"탄소 중립"', '-해외']),
      );
      expect(await store().get('esg', channel('T1', 'C2'))).toBeNull();
      expect(await store().count('esg')).toBe(1);
      expect(await store().followedBy(channel('T1', 'C1'))).toEqual(['esg']);
    });

    it('keeps only the channel, keywords and start of a subscription', async () => {
      const withExtra = { ...subscription('T1', 'C1'), userId: 'U1' } as Subscription;
      await store().subscribe('esg', withExtra);
      expect(await store().get('esg', channel('T1', 'C1'))).toEqual(subscription('T1', 'C1'));
    });

    it('hands a source’s subscriptions out in batches, each once', async () => {
      for (let i = 0; i < 7; i++) await store().subscribe('esg', subscription('T1', `C${i}`));
      await store().subscribe('other', subscription('T1', 'C-other'));
      const batches: Subscription[][] = [];
      for await (const batch of store().scan('esg', 3)) batches.push(batch);
      // The size is a hint (Redis hands a small hash out whole): only empty batches are wrong.
      expect(batches.every((batch) => batch.length > 0)).toBe(true);
      expect(
        batches
          .flat()
          .map((s) => s.channelId)
          .sort(),
      ).toEqual(['C0', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6'].sort());
      const none: Subscription[][] = [];
      for await (const batch of store().scan('nobody-follows')) none.push(batch);
      expect(none).toEqual([]);
    });

    it('says which of the sources asked a channel follows, in the order asked', async () => {
      await store().subscribe('b', subscription('T1', 'C1', ['물']));
      await store().subscribe('a', subscription('T1', 'C1'));
      await store().subscribe('c', subscription('T1', 'C2'));
      expect(await store().following(channel('T1', 'C1'), ['c', 'b', 'a'])).toEqual([
        { sourceId: 'b', subscription: subscription('T1', 'C1', ['물']) },
        { sourceId: 'a', subscription: subscription('T1', 'C1') },
      ]);
      expect(await store().following(channel('T1', 'C1'), [])).toEqual([]);
      expect(await sorted(store().followedBy(channel('T1', 'C1')))).toEqual(['a', 'b']);
    });

    it('registers at most as many sources as the global limit allows, however many follows race', async () => {
      await registry().syncConfigured([{ name: 'esg', url: 'https://k-esg.org/post' }]);
      const limits = { ...LIMITS, sources: 5, perTenant: 100, perChannel: 100 };
      const outcomes = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          store().follow(`feed-${i}`, subscription('T1', `C${i}`), {
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
      expect(await registry().list()).toHaveLength(5);
    });

    it('lets one channel follow ten sources and one tenant twenty chat-added ones, under concurrency', async () => {
      await registry().syncConfigured([{ name: 'esg', url: 'https://k-esg.org/post' }]);
      const perChannel = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          store().follow(`one-${i}`, subscription('T1', 'C-ONE'), {
            limits: LIMITS,
            register: chatSource(`one-${i}`),
          }),
        ),
      );
      expect(perChannel.filter((o) => o.kind === 'registered')).toHaveLength(10);
      expect(perChannel.filter((o) => o.kind === 'refused')).toEqual(
        Array.from({ length: 20 }, () => ({ kind: 'refused', reason: 'channel-full' })),
      );
      expect(await store().followedBy(channel('T1', 'C-ONE'))).toHaveLength(10);

      const perTenant = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          store().follow(`many-${i}`, subscription('T2', `C${i}`), {
            limits: LIMITS,
            register: chatSource(`many-${i}`),
          }),
        ),
      );
      expect(perTenant.filter((o) => o.kind === 'registered')).toHaveLength(20);
      expect(perTenant.filter((o) => o.kind === 'refused')).toEqual(
        Array.from({ length: 10 }, () => ({ kind: 'refused', reason: 'tenant-full' })),
      );
      expect(await store().tenantSources(tenantOf(channel('T2', 'C0')))).toHaveLength(20);
      // Sources nobody could follow were never registered, so nothing reads them.
      expect(await registry().list()).toHaveLength(1 + 10 + 20);
    });

    it('writes nothing for a refused follow, and still replaces keywords in a full channel', async () => {
      const limits = { ...LIMITS, perChannel: 1 };
      await store().follow('a', subscription('T1', 'C1'), { limits });
      expect(await store().follow('b', subscription('T1', 'C1'), { limits })).toEqual({
        kind: 'refused',
        reason: 'channel-full',
      });
      expect(await store().get('b', channel('T1', 'C1'))).toBeNull();
      expect(await store().count('b')).toBe(0);
      expect(await store().followedBy(channel('T1', 'C1'))).toEqual(['a']);
      expect(await store().countByPlatform()).toEqual({ slack: 1 });
      expect(await store().follow('a', subscription('T1', 'C1', ['탄소']), { limits })).toEqual({
        kind: 'updated',
      });
    });

    it('counts a chat-added source once per tenant, and configured sources in no tenant’s budget', async () => {
      await registry().syncConfigured([{ name: 'esg', url: 'https://k-esg.org/post' }]);
      const limits = { ...LIMITS, perTenant: 1 };
      const feed = chatSource('shared');
      expect(
        await store().follow('shared', subscription('T1', 'C1'), { limits, register: feed }),
      ).toEqual({ kind: 'registered' });
      // A second channel of the tenant follows the same source: still one of its one place.
      expect(
        await store().follow('shared', subscription('T1', 'C2'), { limits, requireSource: true }),
      ).toEqual({ kind: 'followed' });
      // The configured source is everyone's.
      expect(await store().follow('esg', subscription('T1', 'C1'), { limits })).toEqual({
        kind: 'followed',
      });
      // Another tenant shares the fetch: the source is registered once.
      expect(
        await store().follow('shared', subscription('T2', 'C1'), { limits, register: feed }),
      ).toEqual({ kind: 'followed' });
      expect(await store().tenantSources(tenantOf(channel('T1', 'C1')))).toEqual(['shared']);
      expect(await store().tenantSources(tenantOf(channel('T2', 'C1')))).toEqual(['shared']);
      expect(
        await store().follow('other', subscription('T1', 'C3'), {
          limits,
          register: chatSource('other'),
        }),
      ).toEqual({ kind: 'refused', reason: 'tenant-full' });
    });

    it('refuses a name another URL holds, and a follow of a source released a moment ago', async () => {
      await store().follow('feed', subscription('T1', 'C1'), { register: chatSource('feed') });
      expect(
        await store().follow('feed', subscription('T2', 'C1'), {
          register: chatSource('feed', 'https://elsewhere.example.com/rss'),
        }),
      ).toEqual({ kind: 'refused', reason: 'name-taken' });

      expect(await store().unsubscribe('feed', channel('T1', 'C1'))).toBe('released');
      expect(
        await store().follow('feed', subscription('T2', 'C1'), { requireSource: true }),
      ).toEqual({ kind: 'refused', reason: 'unknown-source' });
      // In its grace period the name stays reserved for its own URL…
      expect(
        await store().follow('feed', subscription('T2', 'C1'), {
          register: chatSource('feed', 'https://elsewhere.example.com/rss'),
        }),
      ).toEqual({ kind: 'refused', reason: 'name-taken' });
      // …which gets it back.
      expect(
        await store().follow('feed', subscription('T2', 'C1'), { register: chatSource('feed') }),
      ).toEqual({ kind: 'registered' });
      expect((await registry().released()).map((s) => s.name)).toEqual([]);
    });

    it('releases a chat-added source with its last follower, and takes it out of the tenant’s view', async () => {
      await registry().syncConfigured([{ name: 'esg', url: 'https://k-esg.org/post' }]);
      const feed = chatSource('feed');
      await store().follow('feed', subscription('T1', 'C1'), { register: feed });
      await store().follow('feed', subscription('T1', 'C2'), { requireSource: true });
      expect(await store().unsubscribe('feed', channel('T1', 'C1'))).toBe('unfollowed');
      expect(await store().tenantSources(tenantOf(channel('T1', 'C1')))).toEqual(['feed']);
      const at = new Date('2026-12-08T01:02:03Z');
      expect(await store().unsubscribe('feed', channel('T1', 'C2'), at)).toBe('released');
      expect(await store().unsubscribe('feed', channel('T1', 'C2'))).toBe('not-following');
      expect(await store().tenantSources(tenantOf(channel('T1', 'C1')))).toEqual([]);
      expect(await registry().get('feed')).toBeNull();
      expect(await registry().released()).toEqual([{ ...feed, releasedAt: at.toISOString() }]);
      // A configured source is never released.
      await store().subscribe('esg', subscription('T1', 'C1'));
      expect(await store().unsubscribe('esg', channel('T1', 'C1'))).toBe('unfollowed');
      expect(await registry().get('esg')).not.toBeNull();
    });

    it('keeps a DM conversation a tenant of its own', async () => {
      const dm = (id: string) => subscription('dm', id, [], 'discord');
      await store().follow('feed', dm('D1'), { register: chatSource('feed') });
      expect(await store().tenantSources(tenantOf(dm('D1')))).toEqual(['feed']);
      expect(await store().tenantSources(tenantOf(dm('D2')))).toEqual([]);
    });

    it('counts subscriptions per platform, for health checks and metrics in one read', async () => {
      expect(await store().countByPlatform()).toEqual({});
      await store().subscribe('esg', subscription('T1', 'C1'));
      await store().subscribe('esg', subscription('T1', 'C1')); // a repeat replaces, counts once
      await store().subscribe('esg', subscription('T1', 'C2'));
      await store().follow('esg', subscription('G1', '123', [], 'discord'));
      expect(await store().countByPlatform()).toEqual({ slack: 2, discord: 1 });
      await store().unsubscribe('esg', channel('T1', 'C1'));
      await store().unsubscribe('esg', channel('T1', 'C1'));
      await store().unsubscribe('esg', channel('G1', '123', 'discord'));
      expect(await store().countByPlatform()).toEqual({ slack: 1 });
    });
  });
}
