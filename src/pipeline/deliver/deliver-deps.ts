import type { Platform } from '../../platforms/platform-registry.js';
import type { ChannelScheduleStore } from '../../ports/channel-schedule-store.js';
import type { DeliveryLog } from '../../ports/delivery-log.js';
import type { DestinationStore } from '../../ports/destination-store.js';
import type { Notifier } from '../../ports/notifier.js';
import type { PipelineMetrics } from '../../ports/pipeline-metrics.js';
import type { PlatformGate } from '../../ports/platform-gate.js';
import type { PostArchive } from '../../ports/post-archive.js';
import type { SentMessageStore } from '../../ports/sent-message-store.js';
import type { SubscriptionStore } from '../../ports/subscription-store.js';
import type { Logger } from '../../util/logger.js';
import type { UnsubscribeDeps } from './unsubscribe.js';
import type { ReleaseDeps } from './release-turn.js';

// Apart from deliver.ts because its helpers (deliver-digest.ts, delivery-failure.ts) take the
// same deps: imported from the file that imports the helpers, the three imported each other.

/** What `deliver()` and its helpers need; the composition root passes it in. */
export interface DeliverDeps extends UnsubscribeDeps {
  subscriptions: UnsubscribeDeps['subscriptions'] & Pick<SubscriptionStore, 'get'>;
  archive: Pick<PostArchive, 'get'>;
  deliveryLog: DeliveryLog;
  notifiers: ReadonlyMap<Platform, Notifier>;
  platforms: PlatformGate;
  /** How long a channel's turn outlives a crashed holder; renewed while the holder works. */
  channelTurnTtlMs?: number;
  /** A post still failing this long after it was announced is given up for that channel. */
  giveUpAfterMs: number;
  /** How alerts name a post's source. */
  sourceLabel: (sourceId: string) => Promise<{ name: string; label: string }>;
  logger: Logger;
  now?: () => Date;
  /** Told how each attempt ended, and of every 429 (default: nothing is reported). */
  metrics?: PipelineMetrics;
  /** Channels' digest times and quiet hours (default: every alert at once). */
  schedules?: Pick<ChannelScheduleStore, 'get' | 'delete'>;
  /** Where each alert went, so a correction at the source can edit it (default: not kept). */
  sentMessages?: Pick<SentMessageStore, 'remember'>;
  /**
   * Webhook destinations' breaks: one that answers it is gone is marked broken, its alerts
   * wait, and it is tried again once per `destinationProbeIntervalMs` (default: not kept,
   * and a gone destination is unsubscribed like a gone channel).
   */
  destinations?: Pick<
    DestinationStore,
    'brokenSince' | 'markBroken' | 'markWorking' | 'claimProbe'
  >;
  /** At most one try of a broken destination per this interval, across all processes. */
  destinationProbeIntervalMs?: number;
  /**
   * One alert per press release in a channel, whichever of its sources carried it first
   * (default: every source's post is alerted on its own).
   */
  releases?: ReleaseDeps;
}

/** How often a broken destination is tried again when not told (ten minutes). */
export const DEFAULT_DESTINATION_PROBE_MS = 600_000;

/** How one delivery ended, for the delivery worker and the tests. */
export type DeliveryOutcome =
  | 'sent'
  | 'already-delivered'
  | 'unsubscribed'
  | 'post-missing'
  | 'no-notifier'
  /** The platform refused the message in every form; the channel's next post goes on. */
  | 'refused'
  /** Another worker is delivering to this channel right now; try again shortly. */
  | 'channel-busy'
  /** The platform refuses the bot's token; the post stays owed until it is resumed. */
  | 'platform-paused'
  /** The channel's digest time or the end of its quiet hours has not come: it stays owed. */
  | 'held'
  /** A webhook destination answered that it is gone: what it is owed waits until it works. */
  | 'destination-broken'
  /** Another source's alert already shows the same press release in this channel: settled. */
  | 'merged';
