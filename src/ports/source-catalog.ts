import type { NewsSource } from './news-source.js';
import type { SourceRecord } from './source-registry.js';
import type { Subscription } from '../model/subscription.js';
import type { FollowOutcome } from './subscription-store.js';
import type { Viewer } from '../model/tenant.js';

/** What came of following a source from chat. `reason` is Korean, for the channel. */
export type FollowSourceOutcome =
  | {
      kind: 'followed';
      source: SourceRecord;
      /** Whether the channel followed it before (its keywords were replaced). */
      updated: boolean;
      /**
       * Whether the channel's tenant could not see the source before: a feed it added itself,
       * said the same way whether another tenant reads the same URL or not.
       */
      newToTenant: boolean;
    }
  | { kind: 'refused'; reason: string };

/**
 * Port: the deployment's sources as the chat commands see them. A tenant (a Slack
 * workspace, a Discord server) sees the configured sources and the chat-added sources its own
 * channels follow, never another tenant's (see `tenantOf`).
 */
export interface SourceCatalog {
  /** The first configured source: `/news 1645` and `/news 구독` without a source name. */
  readonly defaultName: string;
  /** The sources `viewer` may see: configured ones first, in configuration order. */
  visibleTo(viewer: Viewer): Promise<SourceRecord[]>;
  /** The named source, when `viewer` may see it; `null` otherwise (as for no such source). */
  find(name: string, viewer: Viewer): Promise<SourceRecord | null>;
  /** The source to read pages from, for lookups of posts not archived yet. */
  open(name: string): Promise<NewsSource | null>;
  /** Follows a source the channel may see, within the limits. */
  follow(source: SourceRecord, subscription: Subscription): Promise<FollowSourceOutcome>;
  /**
   * Follows the source at `url`: the one that reads it already, or a new one, read once
   * first (refusing private addresses unless allowed) and named from its host. Within the
   * limits, taken atomically; the source is read on schedule only once followed.
   */
  followUrl(url: string, subscription: Subscription): Promise<FollowSourceOutcome>;
  /** A source was released (its last follower left): it stops being read, on every instance. */
  released(name: string): Promise<void>;
}

/** A follow's refusal in Korean, for the channel. */
export function refusalText(
  reason: Extract<FollowOutcome, { kind: 'refused' }>['reason'],
  limits: { perChannel: number; perTenant: number; sources: number },
): string {
  switch (reason) {
    case 'channel-full':
      return channelFullText(limits.perChannel);
    case 'tenant-full':
      return `이 워크스페이스(서버)는 채팅으로 추가한 소스를 ${limits.perTenant}개까지 구독할 수 있습니다. 쓰지 않는 소스를 \`/news 구독해지 <소스>\`로 해지한 뒤 다시 시도해 주세요.`;
    case 'sources-full':
      return `이 봇은 소스를 ${limits.sources}개까지 읽습니다. 관리자에게 문의해 주세요.`;
    case 'unknown-source':
    case 'name-taken':
      return '소스를 추가하지 못했습니다. 잠시 후 다시 시도해 주세요.';
  }
}

/** The refusal for a channel that follows as many sources as it may. */
export function channelFullText(perChannel: number): string {
  return `한 채널은 소스를 ${perChannel}개까지 구독할 수 있습니다. \`/news 구독해지 <소스>\`로 하나를 해지한 뒤 다시 시도해 주세요.`;
}
