import { describe, expect, it } from 'vitest';
import { moveChannel } from '../../src/platforms/channel-moves.js';
import { memoryStores } from '../doubles/memory-stores.js';

const chat = (channelId: string) => ({
  platform: 'telegram' as const,
  workspaceId: 'chat',
  channelId,
});
const GROUP = chat('-4000000002');
const SUPERGROUP = chat('-1004000000002');

async function stores() {
  const s = memoryStores();
  await s.registry.syncConfigured([
    { name: 'esg', url: 'https://k-esg.org/post' },
    { name: 'korea', url: 'https://www.korea.kr/rss/pressrelease.xml' },
  ]);
  const deps = {
    subscriptions: s.subscriptions,
    deliveryLog: s.deliveryLog,
    schedules: s.schedules,
    sourceIds: async () => (await s.registry.list()).map((source) => source.name),
  };
  return { ...s, deps };
}

describe('moving a channel to a new id', () => {
  it('moves its subscriptions with their keywords, and its schedule; the old id follows nothing', async () => {
    const { deps, subscriptions, schedules } = await stores();
    const createdAt = '2026-12-01T00:00:00.000Z';
    await subscriptions.subscribe('esg', { ...GROUP, keywords: ['탄소'], createdAt });
    await subscriptions.subscribe('korea', { ...GROUP, keywords: [], createdAt });
    await schedules.set(GROUP, { digest: { times: ['09:00'], weekdaysOnly: true }, quiet: null });

    expect((await moveChannel(deps, GROUP, SUPERGROUP)).sort()).toEqual(['esg', 'korea']);
    expect(await subscriptions.get('esg', SUPERGROUP)).toEqual({
      ...SUPERGROUP,
      keywords: ['탄소'],
      createdAt,
    });
    expect(await subscriptions.get('korea', SUPERGROUP)).not.toBeNull();
    expect(await subscriptions.followedBy(GROUP)).toEqual([]);
    expect(await schedules.get(SUPERGROUP)).toEqual({
      digest: { times: ['09:00'], weekdaysOnly: true },
      quiet: null,
    });
    expect(await schedules.get(GROUP)).toBeNull();
  });

  it('keeps what the new id followed already, and moves nothing twice', async () => {
    const { deps, subscriptions } = await stores();
    const createdAt = '2026-12-01T00:00:00.000Z';
    await subscriptions.subscribe('esg', { ...GROUP, keywords: ['탄소'], createdAt });
    await subscriptions.subscribe('esg', { ...SUPERGROUP, keywords: ['환경부'], createdAt });
    expect(await moveChannel(deps, GROUP, SUPERGROUP)).toEqual([]);
    expect((await subscriptions.get('esg', SUPERGROUP))!.keywords).toEqual(['환경부']);
    expect(await moveChannel(deps, GROUP, SUPERGROUP)).toEqual([]);
  });
});
