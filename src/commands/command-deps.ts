import type { Logger } from '../util/logger.js';
import type { PollRhythms } from '../config/config-polling.js';
import type { ChannelScheduleStore } from '../ports/channel-schedule-store.js';
import type { DeliveryLog } from '../ports/delivery-log.js';
import type { PlatformStatusStore } from '../ports/platform-status-store.js';
import type { PostArchive } from '../ports/post-archive.js';
import type { SourceCatalog } from '../ports/source-catalog.js';
import type { SourceStateStore } from '../ports/source-state-store.js';
import type { SubscriptionStore } from '../ports/subscription-store.js';

// Apart from command-service.ts because its handlers (schedule-commands.ts, status-reply.ts,
// subscription-commands.ts) take the same deps: imported from the file that imports the
// handlers, each imported the service back.

/** What the `/news` command service and its handlers need; the composition root passes it in. */
export interface CommandServiceDeps {
  sources: SourceCatalog;
  archive: PostArchive;
  states: SourceStateStore;
  subscriptions: SubscriptionStore;
  deliveryLog: Pick<DeliveryLog, 'lastDelivered' | 'problems' | 'forgetChannel' | 'dropPending'>;
  platformStates: Pick<PlatformStatusStore, 'get'>;
  /** How often each source is read (`/news 소스`, `/news 상태`). */
  pollRhythms: PollRhythms;
  /** Whether `/news 구독 <url>` may add a feed. */
  sourcesFromChat: boolean;
  /** Most sources one channel may follow. */
  maxSourcesPerChannel: number;
  /** Each channel's digest times and quiet hours. */
  schedules: ChannelScheduleStore;
  logger: Logger;
  /** The clock the replies read (the interval in force, a source's next read). */
  now?: () => Date;
}
