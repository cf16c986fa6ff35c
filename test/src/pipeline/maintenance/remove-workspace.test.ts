import { describe, expect, it } from 'vitest';
import { deliver } from '../../../../src/pipeline/deliver/deliver.js';
import {
  removeWorkspace,
  type RemoveWorkspaceDeps,
} from '../../../../src/pipeline/maintenance/remove-workspace.js';
import {
  channel,
  pipelineFixture,
  post,
  silentLogger,
  SOURCE,
  target,
} from '../pipeline-fixture.js';

const T1_C1 = channel('C1', 'T1');
const T1_C2 = channel('C2', 'T1');
/** Unsubscribed, but still owed posts (a crash between the two). */
const T1_C3 = channel('C3', 'T1');
const T2_C1 = channel('C1', 'T2');
/** The same workspace id on another platform: another tenant altogether. */
const DISCORD_T1 = channel('C9', 'T1', 'discord');

/** Workspace T1 follows the configured sources and a feed it added; T2 and Discord too. */
async function deployment() {
  const f = await pipelineFixture();
  await f.stores.registry.syncConfigured([
    { name: SOURCE, url: 'https://k-esg.org/post' },
    { name: 'korea', url: 'https://www.korea.kr/rss/pressrelease.xml' },
  ]);
  for (const ch of [T1_C1, T1_C2, T2_C1, DISCORD_T1]) await f.follow(ch);
  await f.follow(T1_C1, ['탄소'], 'korea');
  await f.stores.subscriptions.follow(
    'feed',
    { ...T1_C1, keywords: [], createdAt: '2026-12-01' },
    {
      register: {
        name: 'feed',
        url: 'https://me.example.com/rss',
        origin: 'chat',
        displayName: '환경부 보도자료',
        kind: 'feed',
        addedAt: '2026-12-01T00:00:00Z',
      },
    },
  );
  await f.announce(post(1));
  await f.stores.deliveryLog.markPending([target(1, T1_C3)], f.clock.now());
  await f.stores.schedules.set(T1_C1, { digest: null, quiet: { start: '22:00', end: '07:00' } });
  await f.stores.deliveryLog.recordUndeliverable(target(1, T1_C2), 'refused', 'x', f.clock.now());
  const deps: RemoveWorkspaceDeps = {
    subscriptions: f.stores.subscriptions,
    deliveryLog: f.stores.deliveryLog,
    sourceIds: f.deps.sourceIds,
    schedules: f.stores.schedules,
    sourceReleased: f.deps.sourceReleased!,
    logger: silentLogger,
  };
  return { f, deps };
}

describe('removeWorkspace', () => {
  it('forgets every channel of the workspace: subscriptions, owed posts, schedule and counts', async () => {
    const { f, deps } = await deployment();
    const all = [SOURCE, 'korea', 'feed'];

    expect(await removeWorkspace(deps, 'slack', 'T1', 'app_uninstalled')).toEqual({
      channels: 3,
      subscriptions: 4,
      owedBacklogs: 2,
    });

    for (const ch of [T1_C1, T1_C2, T1_C3]) {
      expect(await f.stores.subscriptions.following(ch, all)).toEqual([]);
      expect(await f.stores.deliveryLog.newestOwed(SOURCE, ch)).toBeNull();
    }
    expect(await f.stores.schedules.get(T1_C1)).toBeNull();
    expect(await f.stores.deliveryLog.problems(T1_C2)).toEqual({
      refused: 0,
      givenUp: 0,
      last: null,
    });
  });

  it('leaves other workspaces alone, and the same workspace id on another platform', async () => {
    const { f, deps } = await deployment();
    await removeWorkspace(deps, 'slack', 'T1', 'app_uninstalled');
    for (const ch of [T2_C1, DISCORD_T1]) {
      expect(await f.stores.subscriptions.get(SOURCE, ch)).not.toBeNull();
      expect(await f.stores.deliveryLog.newestOwed(SOURCE, ch)).toBe(1);
    }
  });

  it('releases the chat-added sources only the workspace followed', async () => {
    const { f, deps } = await deployment();
    await removeWorkspace(deps, 'slack', 'T1', 'tokens_revoked');
    expect(f.released).toEqual(['feed']);
    expect(await f.stores.registry.get('feed')).toBeNull();
    expect((await f.stores.registry.released()).map((s) => s.name)).toEqual(['feed']);
    expect((await f.stores.registry.list()).map((s) => s.name)).toEqual([SOURCE, 'korea']);
  });

  it('lets a queued delivery to a removed channel find it unsubscribed', async () => {
    const { f, deps } = await deployment();
    await removeWorkspace(deps, 'slack', 'T1', 'app_uninstalled');
    expect(await deliver(f.deps, target(1, T1_C1))).toBe('unsubscribed');
    expect(await deliver(f.deps, target(1, T2_C1))).toBe('sent');
    expect(f.slack.byChannel()).toEqual({ C1: [1] });
    expect(f.slack.sent.map((s) => s.channelId)).toEqual(['C1']);
    expect(await f.stores.deliveryLog.lastDelivered(T2_C1)).toMatchObject({ boardNo: 1 });
  });
});
