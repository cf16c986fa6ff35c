import { describe, expect, it } from 'vitest';
import { useStores, type OpenStores } from './stores.js';

const channel = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' } as const;
const other = { platform: 'discord', workspaceId: 'G1', channelId: 'D1' } as const;
const board = { sourceId: 'esg', boardNo: 1645 };
const feed = { sourceId: 'korea-mcee', boardNo: 156712345 };
const api = { sourceId: 'briefing', boardNo: 156712345 };

/** What every `ReleaseClaims` does, checked against `open`'s. */
export function releaseClaimsContract(implementation: string, open: OpenStores): void {
  describe(`ReleaseClaims contract: ${implementation}`, () => {
    const stores = useStores(open);
    const claims = () => stores().releaseClaims;

    it('gives a release in a channel to its first carrier, and names it to the others', async () => {
      expect(await claims().claim(channel, '156712345', feed)).toEqual(feed);
      expect(await claims().claim(channel, '156712345', board)).toEqual(feed);
      expect(await claims().claim(channel, '156712345', api)).toEqual(feed);
      // A retried delivery of the holder holds it still.
      expect(await claims().claim(channel, '156712345', feed)).toEqual(feed);
    });

    it('keeps channels and releases apart', async () => {
      await claims().claim(channel, '156712345', feed);
      expect(await claims().claim(other, '156712345', board)).toEqual(board);
      expect(await claims().claim(channel, '156700001', board)).toEqual(board);
    });

    it('lets a claim go only at its holder’s word, and then to the next carrier', async () => {
      await claims().claim(channel, '156712345', feed);
      await claims().unclaim(channel, '156712345', board);
      expect(await claims().claim(channel, '156712345', board)).toEqual(feed);
      await claims().unclaim(channel, '156712345', feed);
      expect(await claims().claim(channel, '156712345', board)).toEqual(board);
    });

    it('reads back source ids of any shape', async () => {
      const odd = { sourceId: 'k-esg.org-post', boardNo: 0 };
      expect(await claims().claim(channel, '7', odd)).toEqual(odd);
      expect(await claims().claim(channel, '7', board)).toEqual(odd);
    });
  });
}
