import { describe, expect, it } from 'vitest';
import { useStores, type OpenStores } from './stores.js';

const SOURCE = 'esg';
const AT = new Date('2026-11-26T05:00:00Z');
const later = (ms: number) => new Date(AT.getTime() + ms);

/** What every `SourceStateStore` does, checked against `open`'s. */
export function sourceStateStoreContract(implementation: string, open: OpenStores): void {
  describe(`SourceStateStore contract: ${implementation}`, () => {
    const stores = useStores(open);
    const states = () => stores().states;

    it('starts empty, then keeps the cursor, the last read and the validators', async () => {
      expect(await states().get(SOURCE)).toEqual({
        cursor: null,
        lastSuccessAt: null,
        lastErrorAt: null,
        lastError: null,
        failingSince: null,
        validators: {},
      });
      await states().advanceCursor(SOURCE, 1652);
      await states().recordSuccess(SOURCE, AT, { etag: '"v1"' });
      await states().recordFailure(SOURCE, later(1000), 'TIMEOUT: too slow');
      expect(await states().get(SOURCE)).toEqual({
        cursor: 1652,
        lastSuccessAt: AT,
        lastErrorAt: later(1000),
        lastError: 'TIMEOUT: too slow',
        failingSince: later(1000),
        validators: { etag: '"v1"' },
      });
      expect((await states().get('other')).cursor).toBeNull();
    });

    it('keeps how many requests the last read took when more than one', async () => {
      await states().recordSuccess(SOURCE, AT, {}, { requests: 3 });
      expect((await states().get(SOURCE)).lastRequests).toBe(3);
      await states().recordFailure(SOURCE, later(1000), 'TIMEOUT: too slow');
      expect((await states().get(SOURCE)).lastRequests).toBe(3);
      await states().recordSuccess(SOURCE, later(2000), {}, { requests: 1 });
      expect((await states().get(SOURCE)).lastRequests).toBeUndefined();
      await states().recordSuccess(SOURCE, later(3000), {}, { requests: 2 });
      await states().recordSuccess(SOURCE, later(4000), {});
      expect((await states().get(SOURCE)).lastRequests).toBeUndefined();
    });

    it('counts calls per Korean day: adding up on the same day, starting again on the next', async () => {
      await states().recordSuccess(SOURCE, AT, {});
      expect((await states().get(SOURCE)).calls).toBeUndefined();
      await states().recordSuccess(SOURCE, AT, {}, { calls: { day: '2026-12-07', count: 3 } });
      await states().recordSuccess(
        SOURCE,
        later(1),
        {},
        { calls: { day: '2026-12-07', count: 2 } },
      );
      await states().recordSuccess(SOURCE, later(2), {});
      expect((await states().get(SOURCE)).calls).toEqual({ day: '2026-12-07', count: 5 });
      await states().recordSuccess(
        SOURCE,
        later(3),
        {},
        { calls: { day: '2026-12-08', count: 1 } },
      );
      expect((await states().get(SOURCE)).calls).toEqual({ day: '2026-12-08', count: 1 });
    });

    it('never moves the cursor back', async () => {
      await states().advanceCursor(SOURCE, 1652);
      await states().advanceCursor(SOURCE, 1640);
      expect((await states().get(SOURCE)).cursor).toBe(1652);
      await states().advanceCursor(SOURCE, 1653);
      expect((await states().get(SOURCE)).cursor).toBe(1653);
    });

    it('replaces the validators with each success, an empty one read back as none', async () => {
      await states().recordSuccess(SOURCE, AT, { etag: '"v1"', lastModified: 'Tue, 01 Dec' });
      await states().recordSuccess(SOURCE, later(1), { lastModified: 'Wed, 02 Dec', etag: '' });
      expect((await states().get(SOURCE)).validators).toEqual({ lastModified: 'Wed, 02 Dec' });
    });

    it('keeps when failures began until a read succeeds, and lets one caller announce an outage', async () => {
      await states().recordFailure(SOURCE, AT, 'NETWORK: down');
      await states().recordFailure(SOURCE, later(60_000), 'NETWORK: still down');
      expect(await states().get(SOURCE)).toMatchObject({
        failingSince: AT,
        lastErrorAt: later(60_000),
        lastError: 'NETWORK: still down',
      });

      expect(await states().claimOutageNotice(SOURCE, AT)).toBe(true);
      expect(await states().claimOutageNotice(SOURCE, AT)).toBe(false);
      await states().recordSuccess(SOURCE, later(120_000), {});
      // The last error stays, shown with its time beside the later success.
      expect(await states().get(SOURCE)).toMatchObject({
        failingSince: null,
        lastError: 'NETWORK: still down',
        lastSuccessAt: later(120_000),
      });
      expect(await states().clearOutageNotice(SOURCE)).toEqual(AT);
      expect(await states().clearOutageNotice(SOURCE)).toBeNull();
      expect(await states().claimOutageNotice(SOURCE, later(200_000))).toBe(true);
    });

    it('waits until the notBefore a failure asked for; a success or a plain failure clears it', async () => {
      await states().recordFailure(SOURCE, AT, 'HTTP_STATUS: 429', later(300_000));
      expect((await states().get(SOURCE)).notBefore).toEqual(later(300_000));
      await states().recordFailure(SOURCE, later(1), 'HTTP_STATUS: 500');
      expect((await states().get(SOURCE)).notBefore).toBeUndefined();
      await states().recordFailure(SOURCE, later(2), 'HTTP_STATUS: 503', later(400_000));
      await states().recordSuccess(SOURCE, later(3), {});
      expect((await states().get(SOURCE)).notBefore).toBeUndefined();
    });

    it('keeps a run of slow reads from its first, backing off, until a read in time', async () => {
      await states().recordSuccess(SOURCE, AT, {}, { slow: { notBefore: later(60_000) } });
      await states().recordSuccess(
        SOURCE,
        later(1_000),
        {},
        { slow: { notBefore: later(90_000) } },
      );
      expect(await states().get(SOURCE)).toMatchObject({
        slowSince: AT,
        notBefore: later(90_000),
      });
      await states().recordSuccess(SOURCE, later(2_000), {});
      const state = await states().get(SOURCE);
      expect(state.slowSince).toBeUndefined();
      expect(state.notBefore).toBeUndefined();
    });

    it('keeps the last title a read had, and the time new items were last found', async () => {
      await states().recordSuccess(SOURCE, AT, {}, { title: 'ESG 정책뉴스', newItemsAt: AT });
      await states().recordSuccess(SOURCE, later(1_000), {}, { title: null });
      expect(await states().get(SOURCE)).toMatchObject({
        title: 'ESG 정책뉴스',
        lastNewAt: AT,
        lastSuccessAt: later(1_000),
      });
    });

    it('lets one caller announce a quiet spell, and new items start the next one', async () => {
      await states().recordSuccess(SOURCE, AT, {}, { newItemsAt: AT });
      expect(await states().claimStaleNotice(SOURCE, AT)).toBe(true);
      expect(await states().claimStaleNotice(SOURCE, AT)).toBe(false);
      expect((await states().get(SOURCE)).staleNoticedSince).toEqual(AT);

      // A read with nothing new keeps the spell announced.
      await states().recordSuccess(SOURCE, later(1_000), {});
      expect(await states().claimStaleNotice(SOURCE, AT)).toBe(false);

      await states().recordSuccess(SOURCE, later(2_000), {}, { newItemsAt: later(2_000) });
      const state = await states().get(SOURCE);
      expect(state.staleNoticedSince).toBeUndefined();
      expect(state.lastNewAt).toEqual(later(2_000));
      expect(await states().claimStaleNotice(SOURCE, later(2_000))).toBe(true);
    });
  });
}
