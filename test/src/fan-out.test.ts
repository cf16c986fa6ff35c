import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { alertsToEdit } from '../../src/pipeline/fan-out/correct-alerts.js';
import type { DeliveryTarget } from '../../src/ports/delivery-log.js';
import { fanOut, subscribedChannels } from '../../src/pipeline/fan-out/fan-out.js';
import type { Post } from '../../src/model/post.js';
import type { ChannelRef, Subscription } from '../../src/model/subscription.js';
import { sweep } from '../../src/pipeline/maintenance/sweep.js';

/**
 * A process's fan-out, notices, corrections and sweep know no notifier: they queue the work of
 * every platform, whichever tokens the process that runs them has. These would have left out
 * the channels of platforms without a notifier in the process.
 */
const SLACK: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
const DISCORD: ChannelRef = { platform: 'discord', workspaceId: 'G1', channelId: 'D1' };
const CONSOLE: ChannelRef = { platform: 'console', workspaceId: 'local', channelId: 'console' };
const CHANNELS = [SLACK, DISCORD, CONSOLE];

const subscriptions = {
  async *scan(): AsyncIterable<Subscription[]> {
    await Promise.resolve();
    yield CHANNELS.map((channel) => ({ ...channel, keywords: [], createdAt: '2026-01-01' }));
  },
};

const post = (boardNo: number): Post => ({
  sourceId: 'esg',
  boardNo,
  title: `글 ${boardNo}`,
  ministry: null,
  date: '2026-01-01',
  url: `https://k-esg.org/post/${boardNo}`,
  originalUrl: null,
});

describe('work of platforms the running process has no token for', () => {
  it('fan-out marks owed and queues a delivery for every channel of every platform', async () => {
    const pending: DeliveryTarget[] = [];
    const queued: DeliveryTarget[] = [];
    const count = await fanOut(
      {
        subscriptions,
        deliveryLog: { markPending: (targets) => Promise.resolve(void pending.push(...targets)) },
        archive: { save: () => Promise.resolve() },
        enqueueDeliveries: (targets) => Promise.resolve(void queued.push(...targets)),
      },
      [post(2), post(1)],
    );
    const expected = CHANNELS.flatMap((channel) =>
      [1, 2].map((boardNo) => ({ sourceId: 'esg', boardNo, channel })),
    );
    expect(count).toBe(6);
    expect(queued).toEqual(expect.arrayContaining(expected));
    expect(queued).toHaveLength(6);
    expect(pending).toEqual(queued);
  });

  it('a notice goes to every channel of every platform', async () => {
    expect(await subscribedChannels(subscriptions, 'esg')).toEqual(CHANNELS);
  });

  it('a correction edits every alert sent, on every platform', async () => {
    const sent = CHANNELS.map((channel, i) => ({ channel, messageId: `m${i}` }));
    const edits = await alertsToEdit({ list: () => Promise.resolve(sent) }, 'esg', [1]);
    expect(edits).toEqual(sent.map((s) => ({ sourceId: 'esg', boardNo: 1, ...s })));
  });

  it('the sweep queues again what every platform is still owed', async () => {
    const requeued: DeliveryTarget[] = [];
    const since = new Date('2026-01-01T00:00:00Z');
    const result = await sweep({
      deliveryLog: {
        async *owing() {
          await Promise.resolve();
          yield CHANNELS.map((channel) => ({ sourceId: 'esg', channel, since }));
        },
        newestOwed: () => Promise.resolve(3),
      },
      requeueDelivery: (target) => Promise.resolve(requeued.push(target) > 0),
      retryFailed: () => Promise.resolve(0),
      minAgeMs: 60_000,
      giveUpAfterMs: 86_400_000,
      logger: pino({ level: 'silent' }),
      now: () => new Date('2026-01-01T01:00:00Z'),
    });
    expect(result).toEqual({ requeued: 3, retried: 0 });
    expect(requeued).toEqual(CHANNELS.map((channel) => ({ sourceId: 'esg', boardNo: 3, channel })));
  });
});
