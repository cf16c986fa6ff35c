import type { RedisClient } from './redis-connection.js';
import { redactUrl } from '../../src/errors.js';
import type { SourceConfig } from '../../src/source-config.js';
import type { SourceRecord, SourceRegistry } from '../../src/source-registry.js';
import type { RedisKeys } from './redis-keys.js';

/** Every source in one Redis hash, name → JSON. */
export class RedisSourceRegistry implements SourceRegistry {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async list(): Promise<SourceRecord[]> {
    const all = Object.values(await this.redis.hgetall(this.keys.sources())).map(
      (json) => JSON.parse(json) as SourceRecord & { order?: number },
    );
    const rank = (s: SourceRecord & { order?: number }) =>
      s.origin === 'config' ? (s.order ?? 0) : Number.MAX_SAFE_INTEGER;
    return all
      .sort((a, b) => rank(a) - rank(b) || a.addedAt.localeCompare(b.addedAt))
      .map(({ order: _order, ...record }) => record);
  }

  async get(name: string): Promise<SourceRecord | null> {
    const json = await this.redis.hget(this.keys.sources(), name);
    if (!json) return null;
    const { order: _order, ...record } = JSON.parse(json) as SourceRecord & { order?: number };
    return record;
  }

  async syncConfigured(sources: readonly SourceConfig[]): Promise<void> {
    const existing = new Map((await this.list()).map((s) => [s.name, s]));
    const tx = this.redis.multi();
    sources.forEach(({ name, url: configured }, order) => {
      // The configured URL may carry an access key (?serviceKey=…): Redis keeps it masked,
      // and readers take the real one from the configuration.
      const url = redactUrl(configured);
      const known = existing.get(name);
      const sameUrl = known?.url === url;
      const record = {
        name,
        url,
        origin: 'config' as const,
        // A new URL under an old name is a new source: what was learnt of the old one goes.
        displayName: sameUrl ? (known?.displayName ?? null) : null,
        kind: sameUrl ? (known?.kind ?? null) : null,
        addedAt: known?.addedAt ?? new Date().toISOString(),
        order,
      };
      tx.hset(this.keys.sources(), name, JSON.stringify(record));
    });
    for (const known of existing.values()) {
      if (known.origin === 'config' && !sources.some((s) => s.name === known.name)) {
        tx.hset(this.keys.sources(), known.name, JSON.stringify({ ...known, origin: 'chat' }));
      }
    }
    await tx.exec();
  }

  async add(record: SourceRecord): Promise<boolean> {
    return (
      (await this.redis.hsetnx(this.keys.sources(), record.name, JSON.stringify(record))) === 1
    );
  }

  async describe(name: string, details: Pick<SourceRecord, 'displayName' | 'kind'>): Promise<void> {
    const json = await this.redis.hget(this.keys.sources(), name);
    if (!json) return;
    const record = JSON.parse(json) as SourceRecord;
    if (record.displayName === details.displayName && record.kind === details.kind) return;
    await this.redis.hset(this.keys.sources(), name, JSON.stringify({ ...record, ...details }));
  }

  async remove(name: string): Promise<void> {
    await this.redis.hdel(this.keys.sources(), name);
  }
}
