import { followByName } from '../../src/sources/follow-by-name.js';
import type { SourceConfig } from '../../src/config/source-config.js';
import type { Subscription } from '../../src/model/subscription.js';
import type { Viewer } from '../../src/model/tenant.js';
import type { NewsSource } from '../../src/ports/news-source.js';
import { type FollowSourceOutcome, type SourceCatalog } from '../../src/ports/source-catalog.js';
import type {
  SourceOrigin,
  SourceRecord,
  SourceRegistry,
} from '../../src/ports/source-registry.js';
import type { FollowLimits, SubscriptionStore } from '../../src/ports/subscription-store.js';
import type { Logger } from '../../src/util/logger.js';
import { followSourceUrl, type FollowUrlDeps } from '../../src/sources/follow-source-url.js';

export interface MemorySourceCatalogDeps {
  registry: SourceRegistry;
  subscriptions: SubscriptionStore;
  configured: readonly SourceConfig[];
  limits: FollowLimits;
  /** What `open` hands out, by source name (a source without one cannot be read). */
  readers?: ReadonlyMap<string, NewsSource>;
  /** Reads a URL once, as a new chat-added source is read (default: every URL unreadable). */
  probe?: FollowUrlDeps['probe'];
  logger: Logger;
  now?: () => Date;
}

/**
 * The source catalog over a registry and a subscription store, as `SourceDirectory` is without
 * reading anything itself: a tenant sees the configured sources and the chat-added ones its
 * channels follow; follows take the limits atomically; `/news 구독 <url>` runs the core's
 * `followSourceUrl` with `probe` standing for the read. Polls started and sources released
 * are recorded.
 */
export class MemorySourceCatalog implements SourceCatalog {
  readonly defaultName: string;
  /** Sources whose scheduled reads were started, in order. */
  readonly pollsStarted: Array<{ name: string; origin: SourceOrigin }> = [];
  /** Sources told released, in order. */
  readonly releasedNames: string[] = [];

  constructor(private readonly deps: MemorySourceCatalogDeps) {
    this.defaultName = deps.configured[0]!.name;
  }

  async visibleTo(viewer: Viewer): Promise<SourceRecord[]> {
    const all = await this.deps.registry.list();
    if (viewer.kind === 'operator') return all;
    const own = new Set(await this.deps.subscriptions.tenantSources(viewer.tenant));
    return all.filter((source) => source.origin === 'config' || own.has(source.name));
  }

  async find(name: string, viewer: Viewer): Promise<SourceRecord | null> {
    const source = await this.deps.registry.get(name);
    if (!source || source.origin === 'config' || viewer.kind === 'operator') return source;
    const own = await this.deps.subscriptions.tenantSources(viewer.tenant);
    return own.includes(name) ? source : null;
  }

  async open(name: string): Promise<NewsSource | null> {
    if (!(await this.deps.registry.get(name))) return null;
    return this.deps.readers?.get(name) ?? null;
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
        probe:
          this.deps.probe ??
          (() =>
            Promise.resolve({
              ok: false,
              reason: '주소를 읽지 못했습니다. 주소를 확인해 주세요.',
            })),
        startPolling: (source) => {
          this.pollsStarted.push({ name: source.name, origin: source.origin });
          return Promise.resolve();
        },
        logger: this.deps.logger,
        ...(this.deps.now ? { now: this.deps.now } : {}),
      },
      url,
      subscription,
    );
  }

  released(name: string): Promise<void> {
    this.releasedNames.push(name);
    return Promise.resolve();
  }
}
