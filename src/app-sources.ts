import type { FetchOptions } from '../adapters/sources/http-fetcher.js';
import { ParseSandbox } from '../adapters/sources/parse-sandbox.js';
import { UrlSource, type SourceReadOptions } from '../adapters/sources/url-source.js';
import { SourceError } from './errors.js';
import type { Logger } from './logger.js';
import type { AddSourceOutcome, SourceCatalog } from './source-catalog.js';
import { sameUrl, sourceNameFor, type SourceConfig } from './source-config.js';
import { sourceLabel, type SourceRecord, type SourceRegistry } from './source-registry.js';
import type { NewsSource } from './source.js';
import type { SubscriptionStore } from './subscription.js';

/** Starts and stops a source's scheduled polls (one job scheduler per source). */
export interface SourcePolling {
  start(name: string): Promise<void>;
  stop(name: string): Promise<void>;
  /** The names of the sources whose polls are scheduled now. */
  scheduled(): Promise<string[]>;
}

export interface SourceDirectoryDeps {
  registry: SourceRegistry;
  subscriptions: Pick<SubscriptionStore, 'count'>;
  polling: SourcePolling;
  configured: readonly SourceConfig[];
  fetchOptions: FetchOptions;
  /** Longest one document may take to parse, and the items considered per read, by origin. */
  parsing: { deadlineMs: number; maxItems: Record<SourceRecord['origin'], number> };
  /**
   * Checks each address a chat-added source is read from (SSRF guard). Configured sources
   * are the operator's choice and may be internal.
   */
  chatGuard: ((url: string) => Promise<void>) | undefined;
  /** Tell refusals of the guard from other failures, for the Korean reply. */
  isAddressRefusal: (error: unknown) => boolean;
  isUrlRefusal: (error: unknown) => boolean;
  maxSources: number;
  logger: Logger;
}

/** How long a source's label is remembered by a delivering process. */
const LABEL_TTL_MS = 30_000;

/**
 * Part of the composition root: the deployment's sources, from the registry in Redis, as
 * the pollers, the deliveries and the chat commands need them.
 */
export class SourceDirectory implements SourceCatalog {
  readonly defaultName: string;
  private readonly readers = new Map<string, UrlSource>();
  private readonly labels = new Map<
    string,
    { value: { name: string; label: string }; until: number }
  >();

  /**
   * Where each origin's documents are parsed, off the main thread: one worker each, so a
   * hostile chat-added feed never delays the parse of a configured source.
   */
  private readonly parsers: Record<SourceRecord['origin'], ParseSandbox>;

  constructor(private readonly deps: SourceDirectoryDeps) {
    this.defaultName = deps.configured[0]!.name;
    const { deadlineMs } = deps.parsing;
    this.parsers = {
      config: new ParseSandbox({ deadlineMs }),
      chat: new ParseSandbox({ deadlineMs }),
    };
  }

  /** Ends the parse workers. */
  async close(): Promise<void> {
    await Promise.all([this.parsers.config.close(), this.parsers.chat.close()]);
  }

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

  async addFromUrl(url: string): Promise<AddSourceOutcome> {
    const sources = await this.list();
    const existing =
      sources.find((s) => sameUrl(s.url, url)) ??
      sources.find((s) =>
        this.deps.configured.some((c) => c.name === s.name && sameUrl(c.url, url)),
      );
    if (existing) {
      await this.deps.polling.start(existing.name);
      return { kind: 'existing', source: existing };
    }
    if (sources.length >= this.deps.maxSources) {
      return {
        kind: 'refused',
        reason: `이 봇은 소스를 ${this.deps.maxSources}개까지 읽습니다. 관리자에게 문의해 주세요.`,
      };
    }
    const probe = new UrlSource(url, this.fetchOptionsFor('chat'), 'new-source');
    let read;
    try {
      read = await probe.readPage(1);
    } catch (error) {
      return { kind: 'refused', reason: this.refusalFor(error) };
    }
    if (read.status !== 'ok') {
      return { kind: 'refused', reason: '주소가 내용을 돌려주지 않았습니다.' };
    }
    const taken = new Set(sources.map((s) => s.name));
    for (;;) {
      const record: SourceRecord = {
        name: sourceNameFor(url, taken),
        url,
        origin: 'chat',
        displayName: read.title,
        kind: read.kind,
        addedAt: new Date().toISOString(),
      };
      if (await this.deps.registry.add(record)) {
        await this.deps.polling.start(record.name);
        this.deps.logger.info(
          { source: record.name, kind: record.kind },
          'a source was added from chat',
        );
        return { kind: 'added', source: record };
      }
      taken.add(record.name); // another process took the name a moment ago
    }
  }

  async released(name: string): Promise<void> {
    const record = await this.get(name);
    if (!record || record.origin !== 'chat') return;
    if ((await this.deps.subscriptions.count(name)) > 0) return;
    await this.deps.polling.stop(name);
    await this.deps.registry.remove(name);
    this.readers.delete(name);
    this.deps.logger.info({ source: name }, 'nobody follows a chat-added source: no longer read');
  }

  /**
   * Makes the schedules match the registry: configured sources and followed chat-added ones
   * are polled; a chat-added source nobody follows, and any schedule of a source that is not
   * in the registry (one renamed by an upgrade), is stopped.
   */
  async syncPolling(): Promise<void> {
    const sources = await this.list();
    for (const source of sources) {
      const wanted =
        source.origin === 'config' || (await this.deps.subscriptions.count(source.name)) > 0;
      if (wanted) await this.deps.polling.start(source.name);
      else await this.released(source.name);
    }
    const known = new Set(sources.map((s) => s.name));
    for (const name of await this.deps.polling.scheduled()) {
      if (!known.has(name)) await this.deps.polling.stop(name);
    }
  }

  private reader(record: SourceRecord): UrlSource {
    // Configured sources are read at the configuration's URL: the registry masks its secrets.
    const url =
      this.deps.configured.find((s) => s.name === record.name && record.origin === 'config')?.url ??
      record.url;
    const cached = this.readers.get(record.name);
    if (cached && cached.url === url) return cached;
    const reader = new UrlSource(url, this.fetchOptionsFor(record.origin), record.name);
    this.readers.set(record.name, reader);
    return reader;
  }

  private fetchOptionsFor(origin: SourceRecord['origin']): SourceReadOptions {
    const guard = origin === 'chat' ? this.deps.chatGuard : undefined;
    const options = {
      ...this.deps.fetchOptions,
      parser: this.parsers[origin],
      maxItems: this.deps.parsing.maxItems[origin],
    };
    return guard ? { ...options, guard } : options;
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
