import { describe, expect, it } from 'vitest';
import type { Post } from '../../src/model/post.js';
import { channel, chatSource, subscription } from './follow-fixtures.js';
import { useStores, type OpenStores } from './stores.js';

const T0 = new Date('2026-12-07T00:00:00Z');

function post(sourceId: string): Post {
  return {
    sourceId,
    boardNo: 1,
    title: '제목',
    ministry: null,
    date: '2026-12-07',
    url: 'https://feeds.example.com/1',
    originalUrl: null,
  };
}

/** What every `SourceRegistry` does (with its subscription store), checked against `open`'s. */
export function sourceRegistryContract(implementation: string, open: OpenStores): void {
  describe(`SourceRegistry contract: ${implementation}`, () => {
    const stores = useStores(open);
    const registry = () => stores().registry;
    const subscriptions = () => stores().subscriptions;
    const names = async () => (await registry().list()).map((s) => s.name);

    it('lists configured sources in configuration order, then chat-added ones oldest first', async () => {
      await subscriptions().follow('newer', subscription('T1', 'C1'), {
        register: chatSource('newer', undefined, '2026-12-07T02:00:00Z'),
      });
      await subscriptions().follow('older', subscription('T1', 'C1'), {
        register: chatSource('older', undefined, '2026-12-07T01:00:00Z'),
      });
      await registry().syncConfigured([
        { name: 'korea', url: 'https://www.korea.kr/rss/pressrelease.xml' },
        { name: 'esg', url: 'https://k-esg.org/post' },
      ]);
      expect(await names()).toEqual(['korea', 'esg', 'older', 'newer']);
      expect(await registry().get('korea')).toEqual({
        name: 'korea',
        url: 'https://www.korea.kr/rss/pressrelease.xml',
        origin: 'config',
        displayName: null,
        kind: null,
        addedAt: expect.any(String) as string,
      });
      expect(await registry().get('nothing')).toBeNull();
    });

    it('keeps a configured URL’s access key out of the registry', async () => {
      await registry().syncConfigured([
        {
          name: 'api',
          url: 'https://apis.data.go.kr/1371000/policy?serviceKey=SECRET123&type=xml',
        },
      ]);
      expect((await registry().get('api'))?.url).toBe(
        'https://apis.data.go.kr/1371000/policy?serviceKey=***&type=***',
      );
    });

    it('remembers what a read learnt, until a new URL under the same name makes it a new source', async () => {
      await registry().syncConfigured([{ name: 'esg', url: 'https://k-esg.org/post' }]);
      await registry().describe('esg', { displayName: 'ESG 정책뉴스', kind: 'board' });
      await registry().describe('unknown', { displayName: '무엇', kind: 'feed' });
      const described = await registry().get('esg');
      expect(described).toMatchObject({ displayName: 'ESG 정책뉴스', kind: 'board' });
      expect(await registry().get('unknown')).toBeNull();

      // The same configuration again keeps it, and when it was added.
      await registry().syncConfigured([{ name: 'esg', url: 'https://k-esg.org/post' }]);
      expect(await registry().get('esg')).toEqual(described);
      await registry().syncConfigured([{ name: 'esg', url: 'https://k-esg.org/other' }]);
      expect(await registry().get('esg')).toMatchObject({
        url: 'https://k-esg.org/other',
        displayName: null,
        kind: null,
        addedAt: described!.addedAt,
      });
    });

    it('turns a source dropped from the configuration into a chat-added one, and back', async () => {
      await registry().syncConfigured([
        { name: 'esg', url: 'https://k-esg.org/post' },
        { name: 'korea', url: 'https://www.korea.kr/rss/pressrelease.xml' },
      ]);
      expect(
        await registry().syncConfigured([{ name: 'esg', url: 'https://k-esg.org/post' }]),
      ).toEqual(['korea']);
      expect(await registry().get('korea')).toMatchObject({ origin: 'chat' });
      expect(
        await registry().syncConfigured([
          { name: 'esg', url: 'https://k-esg.org/post' },
          { name: 'korea', url: 'https://www.korea.kr/rss/pressrelease.xml' },
        ]),
      ).toEqual(['korea']);
      expect(await registry().get('korea')).toMatchObject({ origin: 'config' });
    });

    it('releases a chat-added source nobody follows, and nothing else', async () => {
      await registry().syncConfigured([{ name: 'esg', url: 'https://k-esg.org/post' }]);
      await subscriptions().follow('kept', subscription('T1', 'C1'), {
        register: chatSource('kept'),
      });
      // Left unfollowed without a release (a crash between the two, or an older release).
      await subscriptions().follow('orphan', subscription('T1', 'C1'), {
        register: chatSource('orphan'),
      });
      await registry().syncConfigured([
        { name: 'esg', url: 'https://k-esg.org/post' },
        { name: 'orphan', url: 'https://feeds.example.com/orphan.xml' },
      ]);
      expect(await subscriptions().unsubscribe('orphan', channel('T1', 'C1'))).toBe('unfollowed');
      await registry().syncConfigured([{ name: 'esg', url: 'https://k-esg.org/post' }]);

      expect(await registry().releaseIfUnfollowed('esg', T0)).toBe(false);
      expect(await registry().releaseIfUnfollowed('kept', T0)).toBe(false);
      expect(await registry().releaseIfUnfollowed('nothing', T0)).toBe(false);
      expect(await registry().releaseIfUnfollowed('orphan', T0)).toBe(true);
      expect(await registry().releaseIfUnfollowed('orphan', T0)).toBe(false);
      expect(await names()).toEqual(['esg', 'kept']);
      // Configured and dropped again, it kept what was known of it, and when it was added.
      expect(await registry().released()).toEqual([
        { ...chatSource('orphan'), releasedAt: T0.toISOString() },
      ]);
    });

    it('gives a released name to the configuration that takes it', async () => {
      await subscriptions().follow('feed', subscription('T1', 'C1'), {
        register: chatSource('feed'),
      });
      await subscriptions().unsubscribe('feed', channel('T1', 'C1'));
      await registry().syncConfigured([{ name: 'feed', url: 'https://k-esg.org/post' }]);
      expect(await registry().released()).toEqual([]);
      expect(await registry().get('feed')).toMatchObject({ origin: 'config' });
    });

    it('deletes a released source’s data after its grace period, unless it is followed again', async () => {
      const { archive, states, itemNumbers } = stores();
      for (const name of ['gone', 'back']) {
        await subscriptions().follow(name, subscription('T1', 'C1'), {
          register: chatSource(name),
        });
        await archive.save([post(name)]);
        await states.advanceCursor(name, 1);
        await itemNumbers.assign(name, [{ key: 'item-1', ownNumber: 7 }]);
        await itemNumbers.markSeen(name, ['item-1'], T0);
        await subscriptions().unsubscribe(name, channel('T1', 'C1'));
      }
      await subscriptions().follow('back', subscription('T1', 'C1'), {
        register: chatSource('back'),
      });

      const releasedAt = new Date((await registry().released())[0]!.releasedAt);
      // Not yet past the grace period: nothing goes.
      expect(await registry().purgeReleased('gone', releasedAt)).toBe(false);
      expect(await archive.get('gone', 1)).not.toBeNull();

      const later = new Date(releasedAt.getTime() + 1);
      expect(await registry().purgeReleased('gone', later)).toBe(true);
      expect(await registry().purgeReleased('gone', later)).toBe(false);
      expect(await registry().released()).toEqual([]);
      expect(await archive.get('gone', 1)).toBeNull();
      expect((await states.get('gone')).cursor).toBeNull();
      // Its identities are forgotten: the first read of a new source, numbered afresh.
      expect(await itemNumbers.assign('gone', [{ key: 'item-2', ownNumber: null }])).toEqual({
        firstRead: true,
        items: [{ number: 1, seen: false }],
      });
      // Followed again in its grace period: its data is its own again.
      expect(await registry().purgeReleased('back', later)).toBe(false);
      expect(await archive.get('back', 1)).not.toBeNull();
      expect((await states.get('back')).cursor).toBe(1);
    });
  });
}
