import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../../redis/redis-connection.js';
import type { RedisKeys } from '../../redis/redis-keys.js';

/** How many wrong tokens one client may try before it has to wait. */
export interface LoginLimits {
  /** Failed logins one client (an address, an IPv6 /64) may make per {@link windowMs}. */
  maxFailures: number;
  windowMs: number;
}

/**
 * Ten guesses per quarter of an hour: plenty for an operator who mistyped, and about a
 * million per 30 years for someone guessing a token of at least 16 characters.
 */
export const LOGIN_LIMITS: LoginLimits = { maxFailures: 10, windowMs: 15 * 60_000 };

/**
 * Takes an attempt if the client is within its limit, in one atomic step: every attempt
 * counts as a failure until it is known to have succeeded (then `succeeded` takes it
 * back), so a burst of guesses sent at once gets no more through than guesses sent one by
 * one. Times are the injected clock's, or (ARGV[1] empty) Redis's, the same for every process.
 * KEYS: the client's attempts (sorted set: attempt id → when). ARGV: now or '', max, window
 * ms, attempt id. Returns 0 when taken, else the milliseconds until one frees.
 */
const TAKE = `
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 0
`;

type TakeCommand = (
  key: string,
  now: string,
  max: number,
  window: number,
  id: string,
) => Promise<number>;

/** Whether a login may be tried now. */
export type LoginAttempt =
  { kind: 'allowed'; attemptId: string } | { kind: 'refused'; retryAfterMs: number };

/**
 * The control panel's limit on failed logins per client, in Redis so that every web process
 * counts the same failures. Only the client's own attempts count: a flood from elsewhere
 * cannot lock the operator out.
 */
export class RedisLoginLimiter {
  private readonly limits: LoginLimits;
  private readonly now: (() => Date) | null;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    options: { limits?: Partial<LoginLimits>; now?: () => Date } = {},
  ) {
    this.limits = { ...LOGIN_LIMITS, ...options.limits };
    this.now = options.now ?? null;
    if (!('esgTakeLoginAttempt' in redis)) {
      redis.defineCommand('esgTakeLoginAttempt', { numberOfKeys: 1, lua: TAKE });
    }
  }

  /** Takes an attempt for `client` (see `clientLimitKey`), counted as failed until released. */
  async begin(client: string): Promise<LoginAttempt> {
    const attemptId = randomBytes(12).toString('base64url');
    const take = (this.redis as unknown as { esgTakeLoginAttempt: TakeCommand })
      .esgTakeLoginAttempt;
    const waitMs = Number(
      await take.call(
        this.redis,
        this.keys.adminLoginAttempts(client),
        this.now ? String(this.now().getTime()) : '',
        this.limits.maxFailures,
        this.limits.windowMs,
        attemptId,
      ),
    );
    return waitMs === 0
      ? { kind: 'allowed', attemptId }
      : { kind: 'refused', retryAfterMs: waitMs };
  }

  /** The attempt logged in: it does not count against the client. */
  async succeeded(client: string, attemptId: string): Promise<void> {
    await this.redis.zrem(this.keys.adminLoginAttempts(client), attemptId);
  }
}
