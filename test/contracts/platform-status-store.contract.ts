import { describe, expect, it } from 'vitest';
import { useStores, type OpenStores } from './stores.js';

const AT = new Date('2026-11-20T00:00:00Z');
const DAY = 86_400_000;
const later = (ms: number) => new Date(AT.getTime() + ms);

/** What every `PlatformStatusStore` does, checked against `open`'s. */
export function platformStatusStoreContract(implementation: string, open: OpenStores): void {
  describe(`PlatformStatusStore contract: ${implementation}`, () => {
    const stores = useStores(open);
    const store = () => stores().platformStatus;

    it('pauses once, resumes once, and remembers when it was resumed', async () => {
      expect(await store().get('discord')).toEqual({ state: 'ok' });
      expect(await store().markUnauthorized('discord', AT, 'Discord: 401')).toBe(true);
      expect(await store().markUnauthorized('discord', later(1), 'again')).toBe(false);
      expect(await store().get('discord')).toEqual({
        state: 'unauthorized',
        since: AT,
        reason: 'Discord: 401',
      });
      expect(await store().markHealthy('discord', later(2 * DAY))).toEqual({
        state: 'unauthorized',
        since: AT,
        reason: 'Discord: 401',
      });
      expect(await store().markHealthy('discord', later(3 * DAY))).toBeNull(); // was not paused
      expect(await store().get('discord')).toEqual({ state: 'ok', resumedAt: later(2 * DAY) });
      expect(await store().get('slack')).toEqual({ state: 'ok' });

      // Paused again: the next pause is its own, and the resume moves on.
      expect(await store().markUnauthorized('discord', later(4 * DAY), 'Discord: 401')).toBe(true);
      expect(await store().markHealthy('discord', later(5 * DAY))).toMatchObject({
        since: later(4 * DAY),
      });
      expect(await store().get('discord')).toEqual({ state: 'ok', resumedAt: later(5 * DAY) });
    });

    it('gives the probe to one caller per interval, per platform', async () => {
      expect(await store().claimProbe('slack', 100)).toBe(true);
      expect(await store().claimProbe('slack', 100)).toBe(false);
      expect(await store().claimProbe('discord', 100)).toBe(true);
      await stores().elapse(150);
      expect(await store().claimProbe('slack', 100)).toBe(true);
    });
  });
}
