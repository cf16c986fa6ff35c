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
    const claim = (ch: typeof channel | typeof other, carrier: typeof board, id = '156712345') =>
      claims().claim(
        ch,
        id,
        carrier,
        [board, feed, api].filter((c) => c !== carrier),
      );

    it('gives a release in a channel to its first carrier, and names it to the others', async () => {
      expect(await claim(channel, feed)).toEqual(feed);
      expect(await claim(channel, board)).toEqual(feed);
      expect(await claim(channel, api)).toEqual(feed);
      // A retried delivery of the holder holds it still.
      expect(await claim(channel, feed)).toEqual(feed);
    });

    it('keeps channels and releases apart', async () => {
      await claim(channel, feed);
      expect(await claim(other, board)).toEqual(board);
      expect(await claim(channel, board, '156700001')).toEqual(board);
    });

    it('lets a claim go only at its holder’s word, and then to the next carrier', async () => {
      await claim(channel, feed);
      await claims().unclaim(channel, '156712345', board);
      expect(await claim(channel, board)).toEqual(feed);
      await claims().unclaim(channel, '156712345', feed);
      expect(await claim(channel, board)).toEqual(board);
      expect(await claim(channel, feed)).toEqual(board);
    });

    it('says the release is shown, by nobody it knows, when its holder is not among the others', async () => {
      await claim(channel, feed);
      expect(await claims().claim(channel, '156712345', board, [api])).toBeNull();
    });
  });
}
