import type { SourceConfig } from '../../src/config/source-config.js';
import { redactUrl } from '../../src/model/source-error.js';
import type {
  ReleasedSource,
  SourceRecord,
  SourceRegistry,
} from '../../src/ports/source-registry.js';
import { jsonCopy } from './json-copy.js';
import { MemoryFollowBook, type KeptRecord } from './memory-follow-book.js';

/** A double that keeps data of a source, deleted when a released source is purged. */
export interface SourceDataHolder {
  forgetSource(sourceId: string): void;
}

/**
 * The source registry in memory, with the port's semantics (see
 * `source-registry.contract.ts`). It shares its records with the subscription store through
 * the {@link MemoryFollowBook}, as the Redis adapters share the registry hash: a follow may
 * register a source and an unfollow release it. A purge deletes the source's subscriptions
 * and what `dataHolders` keep of it (archive, item numbers, state).
 */
export class MemorySourceRegistry implements SourceRegistry {
  constructor(
    readonly book = new MemoryFollowBook(),
    private readonly dataHolders: readonly SourceDataHolder[] = [],
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(): Promise<SourceRecord[]> {
    const rank = (s: KeptRecord) =>
      s.origin === 'config' ? (s.order ?? 0) : Number.MAX_SAFE_INTEGER;
    const sorted = [...this.book.sources.values()].sort(
      (a, b) => rank(a) - rank(b) || a.addedAt.localeCompare(b.addedAt),
    );
    return Promise.resolve(sorted.map(withoutOrder));
  }

  get(name: string): Promise<SourceRecord | null> {
    const record = this.book.sources.get(name);
    return Promise.resolve(record ? withoutOrder(record) : null);
  }

  async syncConfigured(sources: readonly SourceConfig[]): Promise<string[]> {
    const existing = new Map((await this.list()).map((s) => [s.name, s]));
    const changed = sources
      .filter(({ name }) => existing.get(name)?.origin === 'chat')
      .map(({ name }) => name);
    sources.forEach(({ name, url: configured }, order) => {
      const url = redactUrl(configured);
      const known = existing.get(name);
      const sameUrl = known?.url === url;
      this.book.sources.set(name, {
        name,
        url,
        origin: 'config',
        // A new URL under an old name is a new source: what was learnt of the old one goes.
        displayName: sameUrl ? (known?.displayName ?? null) : null,
        kind: sameUrl ? (known?.kind ?? null) : null,
        addedAt: known?.addedAt ?? this.now().toISOString(),
        order,
      });
    });
    for (const known of existing.values()) {
      if (known.origin === 'config' && !sources.some((s) => s.name === known.name)) {
        this.book.sources.set(known.name, { ...known, origin: 'chat' });
        changed.push(known.name);
      }
    }
    // A configured name may be a released chat-added source's: configured wins.
    for (const { name } of sources) this.book.released.delete(name);
    return changed;
  }

  describe(name: string, details: Pick<SourceRecord, 'displayName' | 'kind'>): Promise<void> {
    const record = this.book.sources.get(name);
    if (record) this.book.sources.set(name, { ...record, ...details });
    return Promise.resolve();
  }

  releaseIfUnfollowed(name: string, at: Date): Promise<boolean> {
    const record = this.book.sources.get(name);
    if (!record || this.book.followerCount(name) > 0 || record.origin !== 'chat') {
      return Promise.resolve(false);
    }
    this.book.released.set(name, { ...record, releasedAt: at.toISOString() });
    this.book.sources.delete(name);
    return Promise.resolve(true);
  }

  released(): Promise<ReleasedSource[]> {
    return Promise.resolve([...this.book.released.values()].map(withoutOrder));
  }

  purgeReleased(name: string, before: Date): Promise<boolean> {
    const held = this.book.released.get(name);
    if (!held) return Promise.resolve(false);
    // Followed again in its grace period: its data is its own again.
    if (this.book.sources.has(name)) {
      this.book.released.delete(name);
      return Promise.resolve(false);
    }
    if (held.releasedAt >= before.toISOString()) return Promise.resolve(false);
    for (const holder of this.dataHolders) holder.forgetSource(name);
    this.book.subscriptions.delete(name);
    this.book.released.delete(name);
    return Promise.resolve(true);
  }
}

function withoutOrder<T extends SourceRecord>(record: T & { order?: number }): T {
  const { order: _order, ...rest } = record;
  return jsonCopy(rest as T);
}
