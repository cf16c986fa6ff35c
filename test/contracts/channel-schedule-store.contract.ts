import { describe, expect, it } from 'vitest';
import type { ChannelSchedule } from '../../src/model/channel-schedule.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import { useStores, type OpenStores } from './stores.js';

const C1: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
const C2: ChannelRef = { platform: 'discord', workspaceId: 'T1', channelId: 'C1' };
const DIGEST: ChannelSchedule = {
  digest: { times: ['09:00', '18:00'], weekdaysOnly: true },
  quiet: null,
};
const QUIET: ChannelSchedule = { digest: null, quiet: { start: '22:00', end: '07:00' } };

/** What every `ChannelScheduleStore` does, checked against `open`'s. */
export function channelScheduleStoreContract(implementation: string, open: OpenStores): void {
  describe(`ChannelScheduleStore contract: ${implementation}`, () => {
    const stores = useStores(open);
    const schedules = () => stores().schedules;

    it('keeps each channel’s schedule apart, replaced by the next one set', async () => {
      expect(await schedules().get(C1)).toBeNull();
      await schedules().set(C1, DIGEST);
      await schedules().set(C2, QUIET);
      expect(await schedules().get(C1)).toEqual(DIGEST);
      expect(await schedules().get(C2)).toEqual(QUIET);
      const both = { digest: DIGEST.digest, quiet: QUIET.quiet };
      await schedules().set(C1, both);
      expect(await schedules().get(C1)).toEqual(both);
    });

    it('deletes a schedule set empty, and one deleted', async () => {
      await schedules().set(C1, DIGEST);
      await schedules().set(C1, { digest: null, quiet: null });
      expect(await schedules().get(C1)).toBeNull();
      await schedules().set(C2, QUIET);
      await schedules().delete(C2);
      await schedules().delete(C2);
      expect(await schedules().get(C2)).toBeNull();
    });

    it('keeps the digest and quiet hours of a schedule, nothing else', async () => {
      await schedules().set(C1, { ...DIGEST, note: 'extra' } as ChannelSchedule);
      expect(await schedules().get(C1)).toEqual(DIGEST);
    });
  });
}
