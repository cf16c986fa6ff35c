import type { DestinationFormat } from '../../adapters/destinations/destination-format.js';
import { DestinationNotifier } from '../../adapters/destinations/destination-notifier.js';
import { DESTINATION_WORKSPACE } from '../../src/model/destination.js';
import type { ChannelRef } from '../../src/model/subscription.js';
import type { Platform } from '../../src/platforms/platform-registry.js';
import { MemoryDestinationStore } from '../doubles/memory-destination-store.js';
import type { FakeWebhookServer } from './fake-webhook-server.js';

/**
 * The real `DestinationNotifier` for one platform against its started fake, with one
 * destination per `room` name, each a new hook. Private addresses are allowed (the fake is
 * on 127.0.0.1); no spacing is kept.
 */
export function hookFixture(
  platform: Platform,
  format: DestinationFormat,
  fake: FakeWebhookServer<unknown>,
) {
  const store = new MemoryDestinationStore();
  const notifier = new DestinationNotifier({
    platform,
    format,
    store,
    timeoutMs: 5_000,
    allowPrivate: true,
  });
  return {
    notifier,
    store,
    room: async (name: string): Promise<{ channel: ChannelRef; url: string }> => {
      const url = fake.addHook();
      const channel = { platform, workspaceId: DESTINATION_WORKSPACE, channelId: name };
      await store.put(channel, { url, secret: null }, new Date());
      return { channel, url };
    },
  };
}
