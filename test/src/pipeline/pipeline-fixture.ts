import { pino } from 'pino';
import type { Post } from '../../../src/model/post.js';
import type { ChannelRef } from '../../../src/model/subscription.js';
import type { Platform } from '../../../src/platforms/platform-registry.js';
import type { DeliveryTarget } from '../../../src/ports/delivery-log.js';
import type { DeliverDeps } from '../../../src/pipeline/deliver/deliver-deps.js';
import { fanOut } from '../../../src/pipeline/fan-out/fan-out.js';
import { FakeClock } from '../../doubles/fake-clock.js';
import { memoryStores } from '../../doubles/memory-stores.js';
import { RecordingMetrics } from '../../doubles/recording-metrics.js';
import { RecordingNotifier } from '../../doubles/recording-notifier.js';

/** The configured source of these tests, and how alerts label it. */
export const SOURCE = 'esg';
export const LABEL = 'ESG 정책뉴스';
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const silentLogger = pino({ level: 'silent' });

export function post(boardNo: number, title = `글 ${boardNo}`, extra: Partial<Post> = {}): Post {
  return {
    sourceId: SOURCE,
    boardNo,
    title,
    ministry: '환경부',
    date: '2026-12-07',
    url: `https://k-esg.org/post/${boardNo}`,
    originalUrl: null,
    ...extra,
  };
}

export function channel(channelId: string, workspaceId = 'T1', platform: Platform = 'slack') {
  return { platform, workspaceId, channelId } satisfies ChannelRef;
}

export function target(boardNo: number, ch: ChannelRef, sourceId = SOURCE): DeliveryTarget {
  return { sourceId, boardNo, channel: ch };
}

/**
 * One deployment in memory for the pipeline's use-cases: the stores, a Slack and a Discord
 * notifier that record, metrics that record, the delivery deps wired as the composition root
 * wires them, on a clock that starts on Monday 2026-12-07 at 10:00 Korea time.
 */
export async function pipelineFixture() {
  const clock = new FakeClock('2026-12-07T01:00:00Z');
  const stores = memoryStores({ clock });
  await stores.registry.syncConfigured([{ name: SOURCE, url: 'https://k-esg.org/post' }]);
  const slack = new RecordingNotifier('slack');
  const discord = new RecordingNotifier('discord');
  const metrics = new RecordingMetrics();
  const released: string[] = [];
  const deps: DeliverDeps = {
    subscriptions: stores.subscriptions,
    archive: stores.archive,
    deliveryLog: stores.deliveryLog,
    notifiers: new Map<Platform, RecordingNotifier>([
      ['slack', slack],
      ['discord', discord],
    ]),
    platforms: stores.platforms,
    giveUpAfterMs: DAY,
    sourceLabel: (sourceId) =>
      Promise.resolve({ name: sourceId, label: sourceId === SOURCE ? LABEL : sourceId }),
    logger: silentLogger,
    now: clock.now,
    metrics,
    schedules: stores.schedules,
    sentMessages: stores.sentMessages,
    sourceIds: async () => (await stores.registry.list()).map((s) => s.name),
    sourceReleased: (sourceId) => Promise.resolve(void released.push(sourceId)),
  };
  /** Deliveries queued by fan-outs, in order. */
  const queued: DeliveryTarget[] = [];

  return {
    clock,
    stores,
    slack,
    discord,
    metrics,
    deps,
    queued,
    released,
    /** The channel follows the source (the configured one unless told). */
    follow: (ch: ChannelRef, keywords: string[] = [], sourceId = SOURCE) =>
      stores.subscriptions.subscribe(sourceId, { ...ch, keywords, createdAt: '2026-12-01' }),
    /** New posts: archived and fanned out now, as a poll hands them on. */
    announce: async (...posts: Post[]) => {
      await stores.archive.save(posts, clock.now());
      return fanOut(
        {
          subscriptions: stores.subscriptions,
          deliveryLog: stores.deliveryLog,
          archive: stores.archive,
          enqueueDeliveries: (targets) => Promise.resolve(void queued.push(...targets)),
          now: clock.now,
        },
        posts,
      );
    },
  };
}
