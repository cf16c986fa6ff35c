import type { SourceKind } from './source-kinds.js';
import type { Logger } from '../util/logger.js';
import { refusalText, type FollowSourceOutcome } from '../ports/source-catalog.js';
import { sameUrl, sourceNameFor, type SourceConfig } from '../config/source-config.js';
import type { SourceRecord, SourceRegistry } from '../ports/source-registry.js';
import type { Subscription } from '../model/subscription.js';
import type {
  FollowLimits,
  FollowOutcome,
  SubscriptionStore,
} from '../ports/subscription-store.js';
import { tenantOf } from '../model/tenant.js';
import { isPressReleaseApiUrl } from './press-release-api.js';

/** Why the 정책브리핑 API cannot be added from chat, and what to do instead. */
export const PRESS_RELEASE_API_REFUSAL =
  '정책브리핑 보도자료 API는 운영자의 서비스 키(하루 호출 수가 정해져 있음)로 읽는 소스라 채팅에서 추가할 수 없습니다. ' +
  '운영자가 설정해 두었다면 `/news 소스`에서 이름을 찾아 `/news 구독 <소스> [키워드…]`로 구독하세요. ' +
  '한 부처만 받으려면 korea.kr 부처별 RSS(예: https://www.korea.kr/rss/dept_mcee.xml)를 추가할 수도 있습니다.';

export interface FollowUrlDeps {
  registry: Pick<SourceRegistry, 'list' | 'released'>;
  subscriptions: Pick<SubscriptionStore, 'follow' | 'followedBy' | 'tenantSources'>;
  configured: readonly SourceConfig[];
  limits: FollowLimits;
  /**
   * Reads the URL once, as a chat-added source is read: its title and kind, or a Korean
   * refusal (not a source, a private address, too costly…).
   */
  probe: (
    url: string,
  ) => Promise<
    { ok: true; title: string | null; kind: SourceKind } | { ok: false; reason: string }
  >;
  /** Starts the source's scheduled reads (it is followed now). */
  startPolling: (source: SourceRecord) => Promise<void>;
  logger: Logger;
  now?: () => Date;
}

/** Concurrent follows and releases of one URL settle within a few rounds. */
const MAX_ROUNDS = 5;
/** Names tried for a new source in one round, however many others take them meanwhile. */
const MAX_NAMES = 200;

/**
 * `/news 구독 <url>`: follows the source that reads `url` already, whoever added it (one
 * fetch for every tenant), or registers a new one in the same atomic step as its first
 * follow. Limits are checked once cheaply before the URL is read (so a full channel costs no
 * request) and then taken for good by the follow itself. A released source of the same URL
 * gets its name (and data) back.
 */
export async function followSourceUrl(
  deps: FollowUrlDeps,
  url: string,
  subscription: Subscription,
): Promise<FollowSourceOutcome> {
  let href: string;
  try {
    href = new URL(url).href;
  } catch {
    return refused('http:// 또는 https:// 로 시작하는 주소만 소스로 추가할 수 있습니다.');
  }
  const tenant = tenantOf(subscription);
  const seenBefore = new Set(await deps.subscriptions.tenantSources(tenant));
  const taken = new Set<string>();
  let read: { title: string | null; kind: SourceKind } | null = null;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const active = await deps.registry.list();
    const existing =
      active.find((s) => sameUrl(s.url, href)) ??
      active.find((s) => deps.configured.some((c) => c.name === s.name && sameUrl(c.url, href)));
    if (existing) {
      const outcome = await deps.subscriptions.follow(existing.name, subscription, {
        limits: deps.limits,
        requireSource: true,
      });
      // Released a moment ago by its last follower: add it again in the next round.
      if (outcome.kind === 'refused' && outcome.reason === 'unknown-source') continue;
      return settle(deps, existing, outcome, seenBefore);
    }
    // Read with the operator's key, whose calls a day are few: only the operator adds it.
    if (isPressReleaseApiUrl(href)) return refused(PRESS_RELEASE_API_REFUSAL);
    const early = await refusedEarly(deps, subscription, seenBefore.size, active.length);
    if (early) return refused(early);
    const released = await deps.registry.released();
    if (!read) {
      const probe = await deps.probe(href);
      if (!probe.ok) return refused(probe.reason);
      read = probe;
    }
    for (const source of [...active, ...released]) taken.add(source.name);
    const reused = released.find((s) => sameUrl(s.url, href));
    let name = reused?.name ?? sourceNameFor(href, taken);
    // Others adding feeds of the same host at the same moment take the same names: walk on
    // to the next free one (`me-go-kr-2`, `-3`…) rather than reading the registry again.
    for (let tries = 0; tries < MAX_NAMES; tries++) {
      const record: SourceRecord = {
        name,
        url: href,
        origin: 'chat',
        displayName: read.title,
        kind: read.kind,
        addedAt: (deps.now?.() ?? new Date()).toISOString(),
      };
      const outcome = await deps.subscriptions.follow(name, subscription, {
        limits: deps.limits,
        register: record,
      });
      if (outcome.kind === 'refused' && outcome.reason === 'name-taken') {
        taken.add(name);
        name = sourceNameFor(href, taken);
        continue;
      }
      if (outcome.kind === 'registered') {
        deps.logger.info({ source: name, kind: record.kind }, 'a source was added from chat');
      }
      return settle(deps, record, outcome, seenBefore);
    }
  }
  deps.logger.warn({ rounds: MAX_ROUNDS }, 'following a URL kept racing other changes; gave up');
  return refused('소스를 추가하지 못했습니다. 잠시 후 다시 시도해 주세요.');
}

/**
 * A refusal the limits make certain before any request is sent, or `null`: the channel's
 * follows, the tenant's chat-added sources and the deployment's sources, counted now.
 */
async function refusedEarly(
  deps: FollowUrlDeps,
  subscription: Subscription,
  tenantSources: number,
  sources: number,
): Promise<string | null> {
  const followed = await deps.subscriptions.followedBy(subscription);
  if (followed.length >= deps.limits.perChannel) return refusalText('channel-full', deps.limits);
  if (tenantSources >= deps.limits.perTenant) return refusalText('tenant-full', deps.limits);
  if (sources >= deps.limits.sources) return refusalText('sources-full', deps.limits);
  return null;
}

async function settle(
  deps: FollowUrlDeps,
  source: SourceRecord,
  outcome: FollowOutcome,
  seenBefore: ReadonlySet<string>,
): Promise<FollowSourceOutcome> {
  if (outcome.kind === 'refused') return refused(refusalText(outcome.reason, deps.limits));
  // Read on schedule only now that someone follows it (idempotent for a source read already).
  await deps.startPolling(source);
  return {
    kind: 'followed',
    source,
    updated: outcome.kind === 'updated',
    newToTenant: source.origin === 'chat' && !seenBefore.has(source.name),
  };
}

function refused(reason: string): FollowSourceOutcome {
  return { kind: 'refused', reason };
}
