import { describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../src/model/subscription.js';
import type { DeliveryTarget } from '../../src/ports/delivery-log.js';
import { useStores, type OpenStores } from './stores.js';

const SOURCE = 'esg';
const SLACK: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
const DISCORD: ChannelRef = { platform: 'discord', workspaceId: 'G1', channelId: '123' };
const alert = (boardNo: number, channel: ChannelRef): DeliveryTarget => ({
  sourceId: SOURCE,
  boardNo,
  channel,
});

/** What every `SentMessageStore` does, checked against `open`'s. */
export function sentMessageStoreContract(implementation: string, open: OpenStores): void {
  describe(`SentMessageStore contract: ${implementation}`, () => {
    // Half a second: a retention that can lapse within a test.
    const stores = useStores(open, { sentMessageRetentionMs: 500 });
    const sent = () => stores().sentMessages;
    const listed = async (boardNo: number) =>
      (await sent().list(SOURCE, boardNo)).sort((a, b) =>
        a.channel.platform.localeCompare(b.channel.platform),
      );

    it('remembers one message per post and channel, on every platform', async () => {
      await sent().remember(alert(1645, SLACK), '1733529600.000100');
      await sent().remember(alert(1645, DISCORD), '1314159265358979');
      await sent().remember(alert(1646, SLACK), '1733529601.000200');
      // A second alert of the same post to the same channel replaces the first's id.
      await sent().remember(alert(1645, SLACK), '1733529602.000300');
      expect(await listed(1645)).toEqual([
        { channel: DISCORD, messageId: '1314159265358979' },
        { channel: SLACK, messageId: '1733529602.000300' },
      ]);
      expect(await sent().list(SOURCE, 1646)).toEqual([
        { channel: SLACK, messageId: '1733529601.000200' },
      ]);
      expect(await sent().list('other', 1645)).toEqual([]);
    });

    it('forgets one channel’s message and keeps the others', async () => {
      await sent().remember(alert(1645, SLACK), '1.000001');
      await sent().remember(alert(1645, DISCORD), '2');
      await sent().forget(alert(1645, SLACK));
      await sent().forget(alert(1700, SLACK));
      expect(await sent().list(SOURCE, 1645)).toEqual([{ channel: DISCORD, messageId: '2' }]);
    });

    it('keeps a post’s messages for the retention after its last alert, then none', async () => {
      await sent().remember(alert(1645, SLACK), '1.000001');
      await stores().elapse(350);
      // The post's next alert keeps the earlier one's message too.
      await sent().remember(alert(1645, DISCORD), '2');
      await stores().elapse(350);
      expect(await listed(1645)).toEqual([
        { channel: DISCORD, messageId: '2' },
        { channel: SLACK, messageId: '1.000001' },
      ]);
      await stores().elapse(600);
      expect(await sent().list(SOURCE, 1645)).toEqual([]);
    });
  });
}
