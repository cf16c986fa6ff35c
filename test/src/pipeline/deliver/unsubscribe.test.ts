import { describe, expect, it } from 'vitest';
import { unsubscribeChannel } from '../../../../src/pipeline/deliver/unsubscribe.js';
import { channel, pipelineFixture, post, SOURCE, target } from '../pipeline-fixture.js';

const C1 = channel('C1');
const QUIET = { digest: null, quiet: { start: '22:00', end: '07:00' } };

async function followingTwo() {
  const f = await pipelineFixture();
  await f.stores.registry.syncConfigured([
    { name: SOURCE, url: 'https://k-esg.org/post' },
    { name: 'korea', url: 'https://www.korea.kr/rss/pressrelease.xml' },
  ]);
  await f.follow(C1);
  await f.follow(C1, [], 'korea');
  await f.stores.schedules.set(C1, QUIET);
  await f.announce(post(1));
  await f.stores.deliveryLog.markPending([target(5, C1, 'korea')], f.clock.now());
  return f;
}

describe('unsubscribeChannel', () => {
  it('ends the subscriptions asked and drops their debts, keeping the rest of the channel', async () => {
    const f = await followingTwo();
    expect(await unsubscribeChannel(f.deps, C1, [SOURCE])).toEqual([SOURCE]);
    expect(await f.stores.subscriptions.followedBy(C1)).toEqual(['korea']);
    expect(await f.stores.deliveryLog.newestOwed(SOURCE, C1)).toBeNull();
    expect(await f.stores.deliveryLog.newestOwed('korea', C1)).toBe(5);
    expect(await f.stores.schedules.get(C1)).toEqual(QUIET);
  });

  it('forgets a channel left following nothing: its schedule, last alert and counts', async () => {
    const f = await followingTwo();
    await f.stores.deliveryLog.recordDelivered(target(1, C1), f.clock.now());
    expect((await unsubscribeChannel(f.deps, C1)).sort()).toEqual([SOURCE, 'korea']);
    expect(await f.stores.schedules.get(C1)).toBeNull();
    expect(await f.stores.deliveryLog.lastDelivered(C1)).toBeNull();
    expect(await f.stores.deliveryLog.newestOwed('korea', C1)).toBeNull();
    expect(await unsubscribeChannel(f.deps, C1)).toEqual([]);
  });

  it('tells of each chat-added source the channel was the last to follow', async () => {
    const f = await followingTwo();
    await f.stores.subscriptions.follow(
      'feed',
      { ...C1, keywords: [], createdAt: '2026-12-01' },
      {
        register: {
          name: 'feed',
          url: 'https://me.example.com/rss',
          origin: 'chat',
          displayName: null,
          kind: 'feed',
          addedAt: '2026-12-01T00:00:00Z',
        },
      },
    );
    await f.follow(channel('C2'), [], SOURCE);
    expect((await unsubscribeChannel(f.deps, C1)).sort()).toEqual([SOURCE, 'feed', 'korea']);
    expect(f.released).toEqual(['feed']);
    expect(await f.stores.registry.get('feed')).toBeNull();
  });
});
