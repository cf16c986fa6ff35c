import type { ChannelSchedule } from '../../../src/model/channel-schedule.js';
import { NO_SCHEDULE } from '../../../src/model/channel-schedule.js';
import { channelKey, type ChannelRef } from '../../../src/model/subscription.js';
import {
  PLATFORM_IDS,
  PLATFORMS,
  type Platform,
} from '../../../src/platforms/platform-registry.js';
import type { ChannelScheduleStore } from '../../../src/ports/channel-schedule-store.js';
import type { ChannelProblems, DeliveryLog } from '../../../src/ports/delivery-log.js';
import type {
  PlatformState,
  PlatformStatusStore,
} from '../../../src/ports/platform-status-store.js';
import type { PostArchive } from '../../../src/ports/post-archive.js';
import type { SourceRecord } from '../../../src/ports/source-registry.js';
import type { SourceState, SourceStateStore } from '../../../src/ports/source-state-store.js';
import type { SubscriptionStore } from '../../../src/ports/subscription-store.js';

/** What the panel reads to show sources and channels: the stores the app already has. */
export interface PanelReaders {
  /** Every source of the deployment, configured ones first. */
  sources: () => Promise<SourceRecord[]>;
  states: Pick<SourceStateStore, 'get'>;
  archive: Pick<PostArchive, 'count'>;
  subscriptions: Pick<SubscriptionStore, 'scan' | 'count'>;
  schedules: Pick<ChannelScheduleStore, 'get'>;
  deliveryLog: Pick<DeliveryLog, 'lastDelivered' | 'problems'>;
  platformStates: Pick<PlatformStatusStore, 'get'>;
  /** The polls the scheduler holds, with when each runs next when it knows. */
  scheduledPolls: () => Promise<ReadonlyArray<{ name: string; next: Date | null }>>;
}

/** One source as the sources page shows it. */
export interface SourceHealth {
  source: SourceRecord;
  state: SourceState;
  /** Whether a poll is scheduled for it (a released chat-added source has none). */
  scheduled: boolean;
  /**
   * When it is read next, as far as is known: the scheduler's next run, or later when the
   * source asked to wait or is backing off (`notBefore`).
   */
  nextRead: Date | null;
  archived: number;
  followers: number;
}

export async function readSourceHealth(readers: PanelReaders, now: Date): Promise<SourceHealth[]> {
  const [sources, polls] = await Promise.all([readers.sources(), readers.scheduledPolls()]);
  const nextRuns = new Map(polls.map((poll) => [poll.name, poll.next]));
  return Promise.all(
    sources.map(async (source): Promise<SourceHealth> => {
      const [state, archived, followers] = await Promise.all([
        readers.states.get(source.name),
        readers.archive.count(source.name),
        readers.subscriptions.count(source.name),
      ]);
      const scheduled = nextRuns.has(source.name);
      const next = nextRuns.get(source.name) ?? null;
      const waiting = state.notBefore && state.notBefore > now ? state.notBefore : null;
      const nextRead =
        next && waiting
          ? waiting > next
            ? waiting
            : next
          : (waiting ?? (scheduled ? next : null));
      return { source, state, scheduled, nextRead, archived, followers };
    }),
  );
}

/** A chat channel (not a webhook destination) with what it follows and how it fares. */
export interface ChannelOverview {
  channel: ChannelRef;
  subscriptions: Array<{ sourceId: string; keywords: string[] }>;
  schedule: ChannelSchedule;
  lastAlert: { sourceId: string; boardNo: number; at: Date } | null;
  problems: ChannelProblems;
}

export interface ChannelListing {
  channels: ChannelOverview[];
  /** More channels are subscribed than were read (see `limit`). */
  truncated: boolean;
  /** Each platform that has channels here, with whether it takes deliveries. */
  platforms: Array<{ platform: Platform; state: PlatformState }>;
}

/**
 * Every subscribed chat channel (of `platform` when given), up to `limit` of them, with its
 * subscriptions, schedule, last alert and failures. Webhook destinations are listed by the
 * destination service instead, which knows their URLs and breaks. Every source's subscriptions
 * are read (in the store's batches), so each channel shown has all of its subscriptions.
 */
export async function readChannels(
  readers: PanelReaders,
  options: { platform?: Platform | undefined; limit: number },
): Promise<ChannelListing> {
  const found = new Map<string, Omit<ChannelOverview, 'schedule' | 'lastAlert' | 'problems'>>();
  let truncated = false;
  for (const source of await readers.sources()) {
    for await (const batch of readers.subscriptions.scan(source.name)) {
      for (const subscription of batch) {
        const { platform, workspaceId, channelId, keywords } = subscription;
        if (PLATFORMS[platform].destinations) continue;
        if (options.platform !== undefined && platform !== options.platform) continue;
        const key = channelKey(subscription);
        let entry = found.get(key);
        if (!entry) {
          if (found.size >= options.limit) {
            truncated = true;
            continue;
          }
          entry = { channel: { platform, workspaceId, channelId }, subscriptions: [] };
          found.set(key, entry);
        }
        entry.subscriptions.push({ sourceId: source.name, keywords });
      }
    }
  }
  const channels = await Promise.all(
    [...found.values()].map(async (entry): Promise<ChannelOverview> => {
      const [schedule, lastAlert, problems] = await Promise.all([
        readers.schedules.get(entry.channel),
        readers.deliveryLog.lastDelivered(entry.channel),
        readers.deliveryLog.problems(entry.channel),
      ]);
      return { ...entry, schedule: schedule ?? NO_SCHEDULE, lastAlert, problems };
    }),
  );
  channels.sort((a, b) => compareChannels(a.channel, b.channel));
  const present = PLATFORM_IDS.filter((id) => channels.some((c) => c.channel.platform === id));
  const platforms = await Promise.all(
    present.map(async (platform) => ({
      platform,
      state: await readers.platformStates.get(platform),
    })),
  );
  return { channels, truncated, platforms };
}

function compareChannels(a: ChannelRef, b: ChannelRef): number {
  const byPlatform = PLATFORM_IDS.indexOf(a.platform) - PLATFORM_IDS.indexOf(b.platform);
  if (byPlatform !== 0) return byPlatform;
  return (
    a.workspaceId.localeCompare(b.workspaceId, 'en') || a.channelId.localeCompare(b.channelId, 'en')
  );
}
