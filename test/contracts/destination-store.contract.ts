import { describe, expect, it } from 'vitest';
import { DESTINATION_WORKSPACE } from '../../src/model/destination.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import { useStores, type OpenStores } from './stores.js';

const destination = (platform: ChannelRef['platform'], name: string): ChannelRef => ({
  platform,
  workspaceId: DESTINATION_WORKSPACE,
  channelId: name,
});
const TEAMS = destination('teams', 'esg-team');
const HOOK = destination('webhook', 'n8n');
const AT = new Date('2026-12-07T01:00:00Z');

/** What every `DestinationStore` does, checked against `open`'s. */
export function destinationStoreContract(implementation: string, open: OpenStores): void {
  describe(`DestinationStore contract: ${implementation}`, () => {
    const stores = useStores(open);
    const store = () => stores().destinations;

    it('keeps each destination’s URL and secret, and shows only its host and a masked path', async () => {
      const url =
        'https://prod-12.westeurope.logic.azure.com/workflows/abcdef0123456789/triggers/manual/paths/invoke?sig=SECRET-SIG';
      expect(await store().put(TEAMS, { url, secret: null }, AT)).toBe('added');
      expect(
        await store().put(
          HOOK,
          { url: 'https://hooks.example.com/in/xyz', secret: 's3cret-value' },
          AT,
        ),
      ).toBe('added');
      expect(await store().secrets(TEAMS)).toEqual({ url, secret: null });
      expect(await store().secrets(HOOK)).toEqual({
        url: 'https://hooks.example.com/in/xyz',
        secret: 's3cret-value',
      });
      const view = await store().get(TEAMS);
      expect(view).toMatchObject({ channel: TEAMS, hasSecret: false, broken: null });
      expect(view!.createdAt.toISOString()).toBe(AT.toISOString());
      expect(view!.shownUrl).toMatch(/^prod-12\.westeurope\.logic\.azure\.com\//);
      for (const secretPart of ['abcdef0123456789', 'SECRET-SIG', 'sig=']) {
        expect(view!.shownUrl).not.toContain(secretPart);
      }
      expect((await store().get(HOOK))!.hasSecret).toBe(true);
      expect(await store().get(destination('teams', 'never-added'))).toBeNull();
      expect(await store().secrets(destination('teams', 'never-added'))).toBeNull();
    });

    it('lists by platform and name, all or one platform’s', async () => {
      await store().put(
        destination('teams', 'b'),
        { url: 'https://a.example/1', secret: null },
        AT,
      );
      await store().put(
        destination('jandi', 'z'),
        { url: 'https://a.example/2', secret: null },
        AT,
      );
      await store().put(
        destination('teams', 'a'),
        { url: 'https://a.example/3', secret: null },
        AT,
      );
      const names = (list: { channel: ChannelRef }[]) =>
        list.map((d) => `${d.channel.platform}:${d.channel.channelId}`);
      expect(names(await store().list())).toEqual(['jandi:z', 'teams:a', 'teams:b']);
      expect(names(await store().list('teams'))).toEqual(['teams:a', 'teams:b']);
      expect(await store().list('dooray')).toEqual([]);
    });

    it('marks a destination broken once, keeps it listed, and a new URL mends it', async () => {
      await store().put(TEAMS, { url: 'https://a.example/old', secret: null }, AT);
      expect(await store().markBroken(TEAMS, 'HTTP 404', AT)).toBe(true);
      expect(await store().markBroken(TEAMS, 'HTTP 410', new Date(AT.getTime() + 1000))).toBe(
        false,
      );
      const broken = await store().brokenSince(TEAMS);
      expect(broken).toEqual({ since: AT, reason: 'HTTP 404' });
      expect((await store().list())[0]!.broken).toEqual({ since: AT, reason: 'HTTP 404' });
      expect(await store().put(TEAMS, { url: 'https://a.example/new', secret: null }, AT)).toBe(
        'replaced',
      );
      expect(await store().brokenSince(TEAMS)).toBeNull();
      expect(await store().markBroken(TEAMS, 'HTTP 404', AT)).toBe(true);
      expect(await store().markWorking(TEAMS)).toBe(true);
      expect(await store().markWorking(TEAMS)).toBe(false);
      expect(await store().brokenSince(TEAMS)).toBeNull();
    });

    it('removes a destination with its break; the others stay', async () => {
      await store().put(TEAMS, { url: 'https://a.example/1', secret: null }, AT);
      await store().put(HOOK, { url: 'https://a.example/2', secret: 'k' }, AT);
      await store().markBroken(TEAMS, 'HTTP 410', AT);
      expect(await store().remove(TEAMS)).toBe(true);
      expect(await store().remove(TEAMS)).toBe(false);
      expect(await store().get(TEAMS)).toBeNull();
      expect(await store().brokenSince(TEAMS)).toBeNull();
      expect((await store().list()).map((d) => d.channel)).toEqual([HOOK]);
    });

    it('gives one probe per interval per destination', async () => {
      expect(await store().claimProbe(TEAMS, 200)).toBe(true);
      expect(await store().claimProbe(TEAMS, 200)).toBe(false);
      expect(await store().claimProbe(HOOK, 200)).toBe(true);
      await stores().elapse(250);
      expect(await store().claimProbe(TEAMS, 200)).toBe(true);
    });
  });
}
