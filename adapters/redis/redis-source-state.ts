import type { RedisClient } from './redis-connection.js';
import type {
  ReadRecord,
  SourceState,
  SourceStateStore,
} from '../../src/ports/source-state-store.js';
import type { Validators } from '../../src/ports/news-source.js';
import type { RedisKeys } from './redis-keys.js';

/** Sets the cursor only when the new number is higher: the cursor never moves back. */
const ADVANCE_SCRIPT = `
local current = tonumber(redis.call('HGET', KEYS[1], 'cursor') or '-1')
if tonumber(ARGV[1]) > current then
  redis.call('HSET', KEYS[1], 'cursor', ARGV[1])
  return 1
end
return 0
`;

/**
 * Each source's cursor and read history, one Redis hash per source. Fields written only by
 * later releases (title, lastNewAt, staleNoticedSince) are absent from older hashes and read
 * as absent.
 */
/** KEYS: the state. ARGV: the Korean day, calls. Adds to the day's count, or starts a new day. */
const COUNT_CALLS = `
if redis.call('HGET', KEYS[1], 'callsDay') == ARGV[1] then
  redis.call('HINCRBY', KEYS[1], 'callsToday', ARGV[2])
else
  redis.call('HSET', KEYS[1], 'callsDay', ARGV[1], 'callsToday', ARGV[2])
end
return 0
`;

export class RedisSourceStateStore implements SourceStateStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async get(sourceId: string): Promise<SourceState> {
    const h = await this.redis.hgetall(this.keys.sourceState(sourceId));
    const date = (value: string | undefined) => (value ? new Date(Number(value)) : null);
    const validators: Validators = {};
    if (h.etag) validators.etag = h.etag;
    if (h.lastModified) validators.lastModified = h.lastModified;
    return {
      cursor: h.cursor === undefined ? null : Number(h.cursor),
      lastSuccessAt: date(h.lastSuccessAt),
      lastErrorAt: date(h.lastErrorAt),
      lastError: h.lastError || null,
      failingSince: date(h.failingSince),
      ...(h.notBefore ? { notBefore: new Date(Number(h.notBefore)) } : {}),
      validators,
      ...(h.title ? { title: h.title } : {}),
      ...(h.lastNewAt ? { lastNewAt: new Date(Number(h.lastNewAt)) } : {}),
      ...(h.staleNoticedSince ? { staleNoticedSince: new Date(Number(h.staleNoticedSince)) } : {}),
      ...(h.slowSince ? { slowSince: new Date(Number(h.slowSince)) } : {}),
      ...(Number(h.lastRequests) > 1 ? { lastRequests: Number(h.lastRequests) } : {}),
      ...(h.heldFrom ? { heldFrom: h.heldFrom } : {}),
      ...(h.callsDay ? { calls: { day: h.callsDay, count: Number(h.callsToday ?? 0) } } : {}),
    };
  }

  async advanceCursor(sourceId: string, boardNo: number): Promise<void> {
    await this.redis.eval(ADVANCE_SCRIPT, 1, this.keys.sourceState(sourceId), boardNo);
  }

  async recordSuccess(
    sourceId: string,
    at: Date,
    validators: Validators,
    read: ReadRecord = {},
  ): Promise<void> {
    // The last error is kept: `status` shows it with its time, next to the later success.
    const key = this.keys.sourceState(sourceId);
    const fields: Record<string, string | number> = {
      lastSuccessAt: at.getTime(),
      etag: validators.etag ?? '',
      lastModified: validators.lastModified ?? '',
    };
    // A page without a title keeps the last one: chat should not lose the name for a blip.
    if (read.title) fields.title = read.title;
    if (read.newItemsAt) fields.lastNewAt = read.newItemsAt.getTime();
    const cleared = ['failingSince', 'notBefore'];
    if ((read.requests ?? 1) > 1) fields.lastRequests = read.requests!;
    else cleared.push('lastRequests');
    if (read.heldFrom) fields.heldFrom = read.heldFrom;
    else cleared.push('heldFrom');
    if (read.newItemsAt) cleared.push('staleNoticedSince');
    if (!read.slow) cleared.push('slowSince');
    const multi = this.redis
      .multi()
      .hset(key, fields)
      .hdel(key, ...cleared);
    if (read.calls) multi.eval(COUNT_CALLS, 1, key, read.calls.day, read.calls.count);
    if (read.slow) {
      multi
        .hsetnx(key, 'slowSince', at.getTime())
        .hset(key, 'notBefore', read.slow.notBefore.getTime());
    }
    await multi.exec();
  }

  async recordFailure(sourceId: string, at: Date, error: string, notBefore?: Date): Promise<void> {
    const key = this.keys.sourceState(sourceId);
    const multi = this.redis
      .multi()
      .hset(key, { lastErrorAt: at.getTime(), lastError: error })
      .hsetnx(key, 'failingSince', at.getTime());
    if (notBefore) multi.hset(key, 'notBefore', notBefore.getTime());
    else multi.hdel(key, 'notBefore');
    await multi.exec();
  }

  async claimOutageNotice(sourceId: string, since: Date): Promise<boolean> {
    const key = this.keys.sourceState(sourceId);
    return (await this.redis.hsetnx(key, 'outageNoticedSince', since.getTime())) === 1;
  }

  async claimStaleNotice(sourceId: string, since: Date): Promise<boolean> {
    const key = this.keys.sourceState(sourceId);
    return (await this.redis.hsetnx(key, 'staleNoticedSince', since.getTime())) === 1;
  }

  async clearOutageNotice(sourceId: string): Promise<Date | null> {
    const key = this.keys.sourceState(sourceId);
    const results = await this.redis
      .multi()
      .hget(key, 'outageNoticedSince')
      .hdel(key, 'outageNoticedSince')
      .exec();
    const [since, removed] = (results ?? []).map(([, value]) => value);
    return removed === 1 && typeof since === 'string' ? new Date(Number(since)) : null;
  }
}
