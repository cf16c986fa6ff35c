import type { RedisClient } from './redis-connection.js';
import { redactUrl } from '../../src/model/source-error.js';
import type { SourceConfig } from '../../src/config/source-config.js';
import type {
  ReleasedSource,
  SourceRecord,
  SourceRegistry,
} from '../../src/ports/source-registry.js';
import { PURGE_RELEASED, RELEASE_IF_UNFOLLOWED } from './follow-scripts.js';
import type { RedisKeys } from './redis-keys.js';

interface Commands {
  esgReleaseIfUnfollowed: (...args: string[]) => Promise<string>;
  esgPurgeReleased: (...args: string[]) => Promise<number>;
}

/**
 * Every source in one Redis hash, name → JSON; released chat-added sources in another until
 * their data is deleted.
 */
export class RedisSourceRegistry implements SourceRegistry {
  private readonly commands: Commands;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    if (!('esgReleaseIfUnfollowed' in redis)) {
      redis.defineCommand('esgReleaseIfUnfollowed', {
        numberOfKeys: 3,
        lua: RELEASE_IF_UNFOLLOWED,
      });
    }
    if (!('esgPurgeReleased' in redis)) {
      // The number of data keys is the script's: given with each call.
      redis.defineCommand('esgPurgeReleased', { lua: PURGE_RELEASED });
    }
    this.commands = redis as unknown as Commands;
  }

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

  async syncConfigured(sources: readonly SourceConfig[]): Promise<string[]> {
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
    const changed = sources
      .filter(({ name }) => existing.get(name)?.origin === 'chat')
      .map(({ name }) => name);
    for (const known of existing.values()) {
      if (known.origin === 'config' && !sources.some((s) => s.name === known.name)) {
        tx.hset(this.keys.sources(), known.name, JSON.stringify({ ...known, origin: 'chat' }));
        changed.push(known.name);
      }
    }
    // A configured name may be a released chat-added source's: configured wins.
    if (sources.length > 0) tx.hdel(this.keys.releasedSources(), ...sources.map((s) => s.name));
    await tx.exec();
    return changed;
  }

  async describe(name: string, details: Pick<SourceRecord, 'displayName' | 'kind'>): Promise<void> {
    const json = await this.redis.hget(this.keys.sources(), name);
    if (!json) return;
    const record = JSON.parse(json) as SourceRecord;
    if (record.displayName === details.displayName && record.kind === details.kind) return;
    await this.redis.hset(this.keys.sources(), name, JSON.stringify({ ...record, ...details }));
  }

  async releaseIfUnfollowed(name: string, at: Date): Promise<boolean> {
    const reply = await this.commands.esgReleaseIfUnfollowed.call(
      this.redis,
      this.keys.sources(),
      this.keys.releasedSources(),
      this.keys.subscriptions(name),
      name,
      at.toISOString(),
    );
    return reply === 'released';
  }

  async released(): Promise<ReleasedSource[]> {
    return Object.values(await this.redis.hgetall(this.keys.releasedSources())).map((json) => {
      const { order: _order, ...record } = JSON.parse(json) as ReleasedSource & {
        order?: number;
      };
      return record;
    });
  }

  async purgeReleased(name: string, before: Date): Promise<boolean> {
    const keys = [this.keys.sources(), this.keys.releasedSources(), ...this.keys.sourceData(name)];
    const reply = await this.commands.esgPurgeReleased.call(
      this.redis,
      String(keys.length),
      ...keys,
      name,
      before.toISOString(),
    );
    return reply === 1;
  }
}
