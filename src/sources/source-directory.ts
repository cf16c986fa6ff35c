import { followByName } from './follow-by-name.js';
import { SourceError } from '../model/source-error.js';
import { followSourceUrl } from './follow-source-url.js';
import type { Logger } from '../util/logger.js';
import { type FollowSourceOutcome, type SourceCatalog } from '../ports/source-catalog.js';
import type { SourceConfig } from '../config/source-config.js';
import {
  sourceLabel,
  type SourceOrigin,
  type SourceRecord,
  type SourceRegistry,
} from '../ports/source-registry.js';
import type { NewsSource } from '../ports/news-source.js';
import type { SourceReaders } from '../ports/source-readers.js';
import type { Subscription } from '../model/subscription.js';
import type { FollowLimits, SubscriptionStore } from '../ports/subscription-store.js';
import type { Viewer } from '../model/tenant.js';

/**
 * Starts and stops a source's scheduled polls (one job scheduler per source, in its origin's
 * lane, shared by every process).
 */
export interface SourcePolling {
  start(name: string, origin: SourceOrigin): Promise<void>;
  stop(name: string): Promise<void>;
  /** The sources whose polls are scheduled now, with their lane. */
  scheduled(): Promise<Array<{ name: string; origin: SourceOrigin }>>;
}

export interface SourceDirectoryDeps {
  registry: SourceRegistry;
  subscriptions: Pick<SubscriptionStore, 'count' | 'follow' | 'followedBy' | 'tenantSources'>;
  polling: SourcePolling;
  configured: readonly SourceConfig[];
  /**
   * Makes each source's reader. Chat-added sources' readers check every address they are read
   * from (SSRF guard) and parse in their own sandbox, so a hostile chat-added feed never delays
   * a configured source; configured sources are the operator's choice and may be internal.
   */
  readers: SourceReaders;
  /** Tell refusals of the guard from other failures, for the Korean reply. */
  isAddressRefusal: (error: unknown) => boolean;
  isUrlRefusal: (error: unknown) => boolean;
  limits: FollowLimits;
  /** How long a released chat-added source's data is kept in case it is followed again. */
  releasedGraceMs: number;
  logger: Logger;
  now?: () => Date;
}

/** How long a source's label is remembered by a delivering process. */
const LABEL_TTL_MS = 30_000;

/**
 * Part of the composition root: the deployment's sources, from the registry in Redis, as
 * the pollers, the deliveries and the chat commands need them. Chat commands see only what
 * their tenant may see ({@link visibleTo}); the pipeline and the operator see everything.
 */
export class SourceDirectory implements SourceCatalog {
  readonly defaultName: string;
  private readonly readers = new Map<string, NewsSource>();
  private readonly labels = new Map<
    string,
    { value: { name: string; label: string }; until: number }
  >();

  constructor(private readonly deps: SourceDirectoryDeps) {
    this.defaultName = deps.configured[0]!.name;
  }

  /** Every source being read (the operator's and the pipeline's view). */
  list(): Promise<SourceRecord[]> {
    return this.deps.registry.list();
  }

  get(name: string): Promise<SourceRecord | null> {
    return this.deps.registry.get(name);
  }

  /** Every source's name, for unsubscribing a channel from all of them. */
  async names(): Promise<string[]> {
    return (await this.list()).map((s) => s.name);
  }

  async visibleTo(viewer: Viewer): Promise<SourceRecord[]> {
    const all = await this.list();
    if (viewer.kind === 'operator') return all;
    const own = new Set(await this.deps.subscriptions.tenantSources(viewer.tenant));
    return all.filter((source) => source.origin === 'config' || own.has(source.name));
  }

  async find(name: string, viewer: Viewer): Promise<SourceRecord | null> {
    const source = await this.get(name);
    if (!source || source.origin === 'config' || viewer.kind === 'operator') return source;
    const own = await this.deps.subscriptions.tenantSources(viewer.tenant);
    return own.includes(name) ? source : null;
  }

  async open(name: string): Promise<NewsSource | null> {
    const record = await this.get(name);
    return record ? this.reader(record) : null;
  }

  /** The source's name and label for an alert (cached briefly: thousands of deliveries ask). */
  async labelOf(name: string): Promise<{ name: string; label: string }> {
    const hit = this.labels.get(name);
    if (hit && hit.until > Date.now()) return hit.value;
    const record = await this.get(name);
    const value = { name, label: record ? sourceLabel(record) : name };
    this.labels.set(name, { value, until: Date.now() + LABEL_TTL_MS });
    return value;
  }

  follow(source: SourceRecord, subscription: Subscription): Promise<FollowSourceOutcome> {
    return followByName(this.deps.subscriptions, this.deps.limits, source, subscription);
  }

  followUrl(url: string, subscription: Subscription): Promise<FollowSourceOutcome> {
    return followSourceUrl(
      {
        registry: this.deps.registry,
        subscriptions: this.deps.subscriptions,
        configured: this.deps.configured,
        limits: this.deps.limits,
        probe: (href) => this.probe(href),
        startPolling: (source) => this.deps.polling.start(source.name, source.origin),
        logger: this.deps.logger,
        ...(this.deps.now ? { now: this.deps.now } : {}),
      },
      url,
      subscription,
    );
  }

  async released(name: string): Promise<void> {
    await this.deps.polling.stop(name);
    this.readers.delete(name);
    // Followed again between its release and the stop: it is read again.
    const again = await this.get(name);
    if (again) {
      await this.deps.polling.start(name, again.origin);
      return;
    }
    this.deps.logger.info({ source: name }, 'nobody follows a chat-added source: no longer read');
  }

  /**
   * Makes the schedules match the registry: configured sources and followed chat-added ones
   * are polled in their origin's lane; a chat-added source nobody follows is released, and
   * any other schedule (a source released, or renamed by an upgrade) is stopped. With
   * `refresh`, every wanted schedule is written again (at start: the interval may have
   * changed); otherwise only missing ones are added (the sweep, every minute).
   */
  async syncPolling(options: { refresh: boolean }): Promise<void> {
    const now = this.deps.now?.() ?? new Date();
    const wanted = new Map<string, SourceOrigin>();
    for (const source of await this.list()) {
      const followed = (await this.deps.subscriptions.count(source.name)) > 0;
      if (source.origin === 'config' || followed) wanted.set(source.name, source.origin);
      else if (await this.deps.registry.releaseIfUnfollowed(source.name, now)) {
        this.deps.logger.info(
          { source: source.name },
          'released a chat-added source nobody follows',
        );
      }
    }
    const scheduled = await this.deps.polling.scheduled();
    for (const { name, origin } of scheduled) {
      if (wanted.get(name) !== origin) await this.deps.polling.stop(name);
    }
    for (const [name, origin] of wanted) {
      const current = scheduled.some((s) => s.name === name && s.origin === origin);
      if (options.refresh || !current) await this.deps.polling.start(name, origin);
    }
  }

  /**
   * Deletes the data of chat-added sources released longer than the grace period ago.
   * Returns their names.
   */
  async purgeReleased(): Promise<string[]> {
    const now = this.deps.now?.() ?? new Date();
    const before = new Date(now.getTime() - this.deps.releasedGraceMs);
    const purged: string[] = [];
    for (const source of await this.deps.registry.released()) {
      if (new Date(source.releasedAt) >= before) continue;
      if (await this.deps.registry.purgeReleased(source.name, before)) purged.push(source.name);
    }
    if (purged.length > 0) {
      this.deps.logger.info(
        { sources: purged },
        'deleted the data of chat-added sources nobody followed for the grace period',
      );
    }
    return purged;
  }

  private reader(record: SourceRecord): NewsSource {
    // Configured sources are read at the configuration's URL: the registry masks its secrets.
    const url =
      this.deps.configured.find((s) => s.name === record.name && record.origin === 'config')?.url ??
      record.url;
    const cached = this.readers.get(record.name);
    if (cached && cached.url === url) return cached;
    const reader = this.deps.readers.open(url, record.origin, record.name);
    this.readers.set(record.name, reader);
    return reader;
  }

  /** Reads a URL once as a chat-added source: what it is, or why it cannot be one. */
  private async probe(url: string) {
    const probe = this.deps.readers.open(url, 'chat', 'new-source');
    let read;
    try {
      read = await probe.readPage(1);
    } catch (error) {
      return { ok: false as const, reason: this.refusalFor(error) };
    }
    if (read.status !== 'ok') {
      return { ok: false as const, reason: '주소가 내용을 돌려주지 않았습니다.' };
    }
    return { ok: true as const, title: read.title, kind: read.kind };
  }

  private refusalFor(error: unknown): string {
    if (this.deps.isAddressRefusal(error)) {
      return '내부망 주소(사설·루프백·링크 로컬 등)를 가리키는 주소는 소스로 추가할 수 없습니다.';
    }
    if (this.deps.isUrlRefusal(error)) {
      return 'http:// 또는 https:// 로 시작하는 주소만 소스로 추가할 수 있습니다.';
    }
    if (error instanceof SourceError) {
      switch (error.code) {
        case 'NOT_A_SOURCE':
        case 'UNPARSEABLE':
          return '이 주소는 게시판 목록이나 RSS·Atom 피드가 아닙니다. 피드 주소를 확인해 주세요.';
        case 'TIMEOUT':
          return '주소가 제때 응답하지 않았습니다. 잠시 후 다시 시도해 주세요.';
        case 'TOO_COSTLY':
          return '이 주소의 문서는 해석하는 데 너무 오래 걸리거나 자원이 너무 많이 들어 읽지 않았습니다 (깨졌거나 비정상적인 마크업). 주소를 확인해 주세요.';
        case 'HTTP_STATUS':
          return `주소가 오류로 응답했습니다 (HTTP ${error.status ?? '?'}).`;
        default:
          return '주소를 읽지 못했습니다. 주소를 확인해 주세요.';
      }
    }
    return '주소를 읽지 못했습니다. 주소를 확인해 주세요.';
  }
}
