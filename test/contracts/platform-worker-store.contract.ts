import { describe, expect, it } from 'vitest';
import { useStores, type OpenStores } from './stores.js';

const AT = new Date('2026-11-20T00:00:00Z');
const later = (ms: number) => new Date(AT.getTime() + ms);

/** What every `PlatformWorkerStore` does, checked against `open`'s. */
export function platformWorkerStoreContract(implementation: string, open: OpenStores): void {
  describe(`PlatformWorkerStore contract: ${implementation}`, () => {
    const stores = useStores(open);
    const store = () => stores().platformWorkers;

    it('keeps when each platform was last announced, by whichever process', async () => {
      expect(await store().lastSeen()).toEqual(new Map());
      await store().announce(['slack', 'console'], AT);
      await store().announce(['discord', 'console'], later(15_000));
      await store().announce([], later(30_000));
      expect(await store().lastSeen()).toEqual(
        new Map([
          ['slack', AT],
          ['console', later(15_000)],
          ['discord', later(15_000)],
        ]),
      );
    });

    it('lets the last announcement win, even an older time from a process with a slow clock', async () => {
      await store().announce(['slack'], later(15_000));
      await store().announce(['slack'], AT);
      expect(await store().lastSeen()).toEqual(new Map([['slack', AT]]));
    });
  });
}
