import { describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/model/subscription.js';
import type { DeliveryTarget, OwingChannel } from '../../src/ports/delivery-log.js';
import { unsubscribeChannel } from '../../src/pipeline/deliver/unsubscribe.js';
import { useStores, type OpenStores } from './stores.js';

const SOURCE = 'k-esg.org-post';
const T0 = new Date('2026-12-07T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

const channel = (id: string): ChannelRef => ({
  platform: 'slack',
  workspaceId: 'T1',
  channelId: id,
});
const target = (boardNo: number, id = 'C1', sourceId = SOURCE): DeliveryTarget => ({
  sourceId,
  boardNo,
  channel: channel(id),
});

/** What every `DeliveryLog` does (with its subscriptions and schedules), checked against `open`'s. */
export function deliveryLogContract(implementation: string, open: OpenStores): void {
  describe(`DeliveryLog contract: ${implementation}`, () => {
    // Settled posts are remembered for a second: long enough for a test, short enough to lapse.
    const stores = useStores(open, { deliveryRetentionMs: 1_000 });
    const log = () => stores().deliveryLog;
    const subscribe = async (...ids: string[]) => {
      for (const id of ids) {
        await stores().subscriptions.subscribe(SOURCE, {
          ...channel(id),
          keywords: [],
          createdAt: '2026-12-07',
        });
      }
    };
    const openTurn = async (boardNo: number, id = 'C1', ttlMs = 5_000) => {
      const turn = await log().openChannel(target(boardNo, id), ttlMs);
      if (turn.kind !== 'open') throw new Error(`turn ${turn.kind}`);
      return turn;
    };
    const owing = async () => {
      const found: OwingChannel[] = [];
      for await (const batch of log().owing()) found.push(...batch);
      return found.sort((a, b) => a.channel.channelId.localeCompare(b.channel.channelId));
    };

    it('owes each post once, oldest first, and never again once it is settled', async () => {
      await subscribe('C1');
      await log().markPending([target(3), target(1), target(2)], T0);
      const turn = await openTurn(3);
      expect(turn.owed).toEqual([1, 2, 3]);
      expect(turn.since).toEqual(T0);
      await log().recordDelivered(target(1), at(1));
      await log().recordUndeliverable(target(2), 'refused', 'Slack: invalid_blocks', at(2));
      await log().recordDelivered(target(3), at(3), turn.turn);

      // A re-run fan-out owes nothing already settled, delivered or refused alike.
      await log().markPending([target(1), target(2), target(3), target(4)], at(4));
      expect((await openTurn(4)).owed).toEqual([4]);
      expect(await log().problems(channel('C1'))).toEqual({
        refused: 1,
        givenUp: 0,
        last: {
          kind: 'refused',
          sourceId: SOURCE,
          boardNo: 2,
          reason: 'Slack: invalid_blocks',
          at: at(2),
        },
      });
      expect(await log().lastDelivered(channel('C1'))).toEqual({
        sourceId: SOURCE,
        boardNo: 3,
        at: at(3),
      });
    });

    it('hands out only what is owed up to the post asked for, and since when', async () => {
      await subscribe('C1');
      const nothing = await openTurn(5);
      expect(nothing).toMatchObject({ owed: [], since: null });
      await log().closeChannel(channel('C1'), nothing.turn);
      await log().markPending([target(5), target(6)], T0);
      await log().markPending([target(7)], at(60_000));
      const turn = await openTurn(6);
      // `since` is when the backlog began, not when its newest post joined it.
      expect(turn).toMatchObject({ owed: [5, 6], since: T0 });
    });

    it("gives the channel's digest times and quiet hours with its turn", async () => {
      await subscribe('C1', 'C2');
      await log().markPending([target(1), target(1, 'C2')], T0);
      const digest = { times: ['09:00'], weekdaysOnly: false };
      await stores().schedules.set(channel('C1'), { digest, quiet: null });
      expect((await openTurn(1)).schedule).toEqual({ digest, quiet: null });
      expect((await openTurn(1, 'C2')).schedule).toBeNull();
    });

    it('forgets what a channel that follows the source no more was owed, when its turn is asked', async () => {
      await subscribe('C1');
      await log().markPending([target(1), target(1, 'C2')], T0);
      expect(await log().openChannel(target(1, 'C2'), 5_000)).toEqual({ kind: 'unsubscribed' });
      expect(await log().newestOwed(SOURCE, channel('C2'))).toBeNull();
      expect((await owing()).map((o) => o.channel.channelId)).toEqual(['C1']);
      // No turn was left behind.
      await subscribe('C2');
      expect((await log().openChannel(target(1, 'C2'), 5_000)).kind).toBe('open');
    });

    it('indexes the channels that owe posts, for the sweep, until they owe nothing', async () => {
      await log().markPending([target(1, 'C1'), target(2, 'C1'), target(1, 'C2')], T0);
      expect(await owing()).toEqual([
        { sourceId: SOURCE, channel: channel('C1'), since: T0 },
        { sourceId: SOURCE, channel: channel('C2'), since: T0 },
      ]);
      expect(await log().newestOwed(SOURCE, channel('C1'))).toBe(2);
      await log().recordDelivered(target(1, 'C2'), at(1));
      await log().recordDelivered(target(1, 'C1'), at(1));
      expect((await owing()).map((o) => o.channel.channelId)).toEqual(['C1']);
      await log().dropPending(SOURCE, channel('C1'), 2);
      expect(await owing()).toEqual([]);
      expect(await log().newestOwed(SOURCE, channel('C1'))).toBeNull();
    });

    it('drops one owed post or a whole backlog, per source', async () => {
      await log().markPending([target(1), target(2), target(3), target(9, 'C1', 'other')], T0);
      await log().dropPending(SOURCE, channel('C1'), 3);
      expect(await log().newestOwed(SOURCE, channel('C1'))).toBe(2);
      await log().dropPending(SOURCE, channel('C1'));
      expect(await log().newestOwed(SOURCE, channel('C1'))).toBeNull();
      expect(await log().newestOwed('other', channel('C1'))).toBe(9);
    });

    it('gives one turn per channel at a time, renewed only by its holder', async () => {
      await subscribe('C1', 'C2');
      const turn = await openTurn(1);
      expect(await log().openChannel(target(1), 5_000)).toEqual({ kind: 'busy' });
      expect((await log().openChannel(target(1, 'C2'), 5_000)).kind).toBe('open');
      expect(await log().renewChannel(channel('C1'), turn.turn, 5_000)).toBe(true);
      expect(await log().renewChannel(channel('C1'), 'someone-else', 5_000)).toBe(false);
      await log().closeChannel(channel('C1'), 'someone-else');
      expect(await log().openChannel(target(1), 5_000)).toEqual({ kind: 'busy' });
      await log().closeChannel(channel('C1'), turn.turn);
      expect(await log().renewChannel(channel('C1'), turn.turn, 5_000)).toBe(false);
      expect((await log().openChannel(target(1), 5_000)).kind).toBe('open');
    });

    it('frees the turn of a holder that stopped renewing it once its lifetime is over', async () => {
      await subscribe('C1');
      const stalled = await openTurn(1, 'C1', 50);
      await stores().elapse(120);
      const next = await openTurn(1);
      expect(next.turn).not.toBe(stalled.turn);
      // The stalled holder finds out when it renews, and cannot give back the new turn.
      expect(await log().renewChannel(channel('C1'), stalled.turn, 50)).toBe(false);
      await log().closeChannel(channel('C1'), stalled.turn);
      expect(await log().openChannel(target(1), 5_000)).toEqual({ kind: 'busy' });
    });

    it('gives the turn back with the last record when told to, and keeps it otherwise', async () => {
      await subscribe('C1');
      await log().markPending([target(1), target(2)], T0);
      const turn = await openTurn(2);
      await log().recordDelivered(target(1), at(1), '');
      expect(await log().openChannel(target(2), 5_000)).toEqual({ kind: 'busy' });
      await log().recordDelivered(target(2), at(2), turn.turn);
      expect(await openTurn(2)).toMatchObject({ owed: [], since: null });
    });

    it('counts posts that will never arrive, each kind apart, with the last one’s reason cut short', async () => {
      await log().markPending([target(1), target(2)], T0);
      await log().recordUndeliverable(target(1), 'given-up', 'Slack: HTTP 500', at(1));
      await log().recordUndeliverable(target(2), 'refused', `Slack: ${'x'.repeat(400)}`, at(2));
      const problems = await log().problems(channel('C1'));
      expect(problems).toMatchObject({ refused: 1, givenUp: 1 });
      expect(problems.last).toMatchObject({ kind: 'refused', boardNo: 2, at: at(2) });
      expect(problems.last?.reason).toHaveLength(300);
      expect(await log().newestOwed(SOURCE, channel('C1'))).toBeNull();
      expect(await log().problems(channel('C2'))).toEqual({ refused: 0, givenUp: 0, last: null });
    });

    it('remembers a settled post for the retention only: a re-run after it owes the post again', async () => {
      await log().markPending([target(1)], T0);
      await log().recordDelivered(target(1), T0);
      await log().markPending([target(1)], T0);
      expect(await log().newestOwed(SOURCE, channel('C1'))).toBeNull();
      await stores().elapse(1_100);
      await log().markPending([target(1)], T0);
      expect(await log().newestOwed(SOURCE, channel('C1'))).toBe(1);
    });

    it('forgets everything about a channel that unsubscribes, and nothing about the others', async () => {
      await subscribe('C1', 'C2');
      await log().markPending([target(1, 'C1'), target(2, 'C1'), target(1, 'C2')], T0);
      await log().recordDelivered(target(1, 'C1'), at(1));
      await log().recordUndeliverable(target(2, 'C1'), 'given-up', 'Slack: HTTP 500', at(2));
      await log().recordDelivered(target(1, 'C2'), at(3));
      await log().markPending([target(3, 'C1'), target(3, 'C2')], at(4));
      const held = await openTurn(3);

      const deps = {
        subscriptions: stores().subscriptions,
        deliveryLog: log(),
        sourceIds: () => Promise.resolve([SOURCE]),
      };
      expect(await unsubscribeChannel(deps, channel('C1'))).toEqual([SOURCE]);
      expect(await log().lastDelivered(channel('C1'))).toBeNull();
      expect(await log().problems(channel('C1'))).toEqual({ refused: 0, givenUp: 0, last: null });
      expect((await owing()).map((o) => o.channel.channelId)).toEqual(['C2']);
      expect(await log().lastDelivered(channel('C2'))).toMatchObject({ boardNo: 1 });
      // Its turn went too, and a channel that comes back starts clean: post 1 is owed again.
      expect(await log().renewChannel(channel('C1'), held.turn, 5_000)).toBe(false);
      await subscribe('C1');
      await log().markPending([target(1, 'C1'), target(1, 'C2')], at(5));
      expect((await openTurn(1)).owed).toEqual([1]);
      expect(await log().newestOwed(SOURCE, channel('C2'))).toBe(3);
    });
  });
}
