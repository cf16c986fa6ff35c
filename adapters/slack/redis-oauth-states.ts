import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidStateError, type InstallURLOptions, type StateStore } from '@slack/oauth';
import type { InstallGate, InstallStart } from './slack-oauth.js';
import type { RedisClient } from '../redis/redis-connection.js';
import type { RedisKeys } from '../redis/redis-keys.js';

/** How many installs may start, and be pending, before `/slack/install` refuses more. */
export interface InstallLimits {
  /** Installs one client (an address, an IPv6 /64) may start per {@link windowMs}. */
  perClient: number;
  windowMs: number;
  /** States waiting for Slack's redirect, across every process; more are refused, none evicted. */
  maxPending: number;
  /** How long an install may take between "Add to Slack" and Slack's redirect back. */
  stateTtlMs: number;
}

export const INSTALL_LIMITS: InstallLimits = {
  perClient: 10,
  windowMs: 10 * 60_000,
  maxPending: 1_000,
  stateTtlMs: 10 * 60_000,
};

/** `now` in ms: the injected clock's, or (ARGV empty) Redis's own, the same for every process. */
const NOW = `
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/**
 * Starts an install if the client and the whole deployment are within their limits, in one
 * atomic step, so processes starting installs together never pass a bound between them.
 * Expired states leave the hash and the index first: the pending count is of live ones only.
 * KEYS: states (hash), their expiries (sorted set), this client's starts (sorted set).
 * ARGV: now or '', state TTL ms, max pending, per-client max, window ms, nonce, options JSON.
 * Returns {'started', 0}, or {'too-many' | 'full', ms until a place frees}.
 */
const START = `${NOW}
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for i = 1, #expired, 500 do
  redis.call('HDEL', KEYS[1], unpack(expired, i, math.min(i + 499, #expired)))
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local window = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - window)
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[4]) then
  local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  return {'too-many', tonumber(oldest[2]) + window - now}
end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {'full', tonumber(first[2]) - now}
end
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[3], now, ARGV[6])
redis.call('PEXPIRE', KEYS[3], window)
redis.call('HSET', KEYS[1], ARGV[6], ARGV[7])
redis.call('ZADD', KEYS[2], now + ttl, ARGV[6])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return {'started', 0}
`;

/**
 * Takes a state away, whatever happens next, so it works once: its options while it is live,
 * else nothing. A state of the release before these limits (one key each) is taken the same way.
 * KEYS: states, expiries, the older release's key for this nonce. ARGV: now or '', nonce.
 */
const TAKE = `${NOW}
local expires = redis.call('ZSCORE', KEYS[2], ARGV[2])
local stored = redis.call('HGET', KEYS[1], ARGV[2])
if stored then
  redis.call('HDEL', KEYS[1], ARGV[2])
  redis.call('ZREM', KEYS[2], ARGV[2])
  if expires and tonumber(expires) > now then return stored end
  return false
end
return redis.call('GETDEL', KEYS[3])
`;

type StartCommand = (...args: Array<string | number>) => Promise<[string, number]>;
type TakeCommand = (...args: string[]) => Promise<string | null>;

/**
 * OAuth `state` values that work once. Each is random, signed with `SLACK_STATE_SECRET` (a
 * forged one is refused before Redis is asked) and kept in Redis until it is used: the take is
 * atomic, so a replayed redirect, even within the ten minutes and on another process, finds
 * nothing. (Bolt's default `ClearStateStore` only checks a signature and an age, so it accepts
 * the same state again until it expires.)
 *
 * `GET /slack/install` is anonymous and each visit stores a state, so visits are limited
 * (see {@link InstallLimits}) by {@link startInstall}, which stores the state only within the
 * limits; `generateStateParam` then hands that state to Bolt's `InstallProvider`. Redis holds
 * at most `maxPending` states, each for at most `stateTtlMs`, however many visits come.
 */
export class RedisOAuthStateStore implements StateStore, InstallGate {
  private readonly limits: InstallLimits;
  /** States started for an install, by the options object that install passes to Bolt. */
  private readonly started = new WeakMap<InstallURLOptions, string>();
  /** The injected clock, or `null`: Redis's own, the same for every process. */
  private readonly now: (() => number) | null;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly secret: string,
    options: { limits?: Partial<InstallLimits>; now?: () => number } = {},
  ) {
    this.limits = { ...INSTALL_LIMITS, ...options.limits };
    this.now = options.now ?? null;
    for (const [name, lua] of [
      ['esgStartInstall', START],
      ['esgTakeInstallState', TAKE],
    ] as const) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 3, lua });
    }
  }

  /**
   * Starts an install for `client` (see `clientLimitKey`) within the limits, storing its state.
   * `installOptions` must be the object then given to `InstallProvider.handleInstallPath`: its
   * `generateStateParam` call receives it and gets this state.
   */
  async startInstall(installOptions: InstallURLOptions, client: string): Promise<InstallStart> {
    const nonce = randomBytes(24).toString('base64url');
    const start = (this.redis as unknown as { esgStartInstall: StartCommand }).esgStartInstall;
    const [kind, waitMs] = await start.call(
      this.redis,
      this.keys.slackOAuthStates(),
      this.keys.slackOAuthStateExpiries(),
      this.keys.slackInstallStarts(client),
      this.now ? String(this.now()) : '',
      this.limits.stateTtlMs,
      this.limits.maxPending,
      this.limits.perClient,
      this.limits.windowMs,
      nonce,
      JSON.stringify(installOptions),
    );
    if (kind === 'started') {
      this.started.set(installOptions, `${nonce}.${this.sign(nonce)}`);
      return { kind };
    }
    const retryAfterSeconds = Math.max(1, Math.ceil(Number(waitMs) / 1000));
    return { kind: kind === 'full' ? 'full' : 'too-many', retryAfterSeconds };
  }

  /** The state {@link startInstall} stored for this install; nothing is written here. */
  generateStateParam(installOptions: InstallURLOptions): Promise<string> {
    const state = this.started.get(installOptions);
    if (state === undefined) {
      return Promise.reject(new Error('an install state is only made by startInstall'));
    }
    this.started.delete(installOptions);
    return Promise.resolve(state);
  }

  async verifyStateParam(_now: Date, state: string): Promise<InstallURLOptions> {
    const [nonce, signature] = state.split('.');
    if (!nonce || !signature || !this.signedBy(nonce, signature)) {
      throw new InvalidStateError('The state was not made by this app.');
    }
    const take = (this.redis as unknown as { esgTakeInstallState: TakeCommand })
      .esgTakeInstallState;
    const stored = await take.call(
      this.redis,
      this.keys.slackOAuthStates(),
      this.keys.slackOAuthStateExpiries(),
      this.keys.slackOAuthState(nonce),
      this.now ? String(this.now()) : '',
      nonce,
    );
    if (stored === null) throw new InvalidStateError('The state was used already or expired.');
    return JSON.parse(stored) as InstallURLOptions;
  }

  private sign(nonce: string): string {
    return createHmac('sha256', this.secret).update(nonce).digest('base64url');
  }

  private signedBy(nonce: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(nonce));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
