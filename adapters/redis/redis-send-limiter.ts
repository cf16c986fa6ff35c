import { randomBytes } from 'node:crypto';
import type { SendLimiter, SendLimits } from '../../src/ports/send-limiter.js';
import { channelKey, type ChannelRef } from '../../src/model/subscription.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';

/**
 * Sliding-window log of one workspace (at most N messages in any window) plus the spacing of
 * one channel and a hold after a 429, in one atomic step on Redis's own clock, so every worker
 * on every machine counts against the same limit without trusting its own clock.
 * KEYS: workspace window (sorted set), channel's last send, workspace hold.
 * ARGV: max per window, window ms, channel spacing ms, a unique member.
 * Returns 0 (taken) or the milliseconds to wait (nothing taken).
 */
const TRY_TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
local spacing = tonumber(ARGV[3])
local wait = redis.call('PTTL', KEYS[3])
if wait < 0 then wait = 0 end
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if last + spacing - now > wait then wait = last + spacing - now end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local free = tonumber(oldest[2]) + window - now
  if free > wait then wait = free end
end
if wait > 0 then return wait end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
redis.call('SET', KEYS[2], now, 'PX', spacing)
return 0
`;

/**
 * Room for the time between taking a place and Slack receiving the call: two calls taken a
 * window apart can arrive closer together when the first waited longer for a socket, and the
 * platform counts arrivals.
 */
const MARGIN = 1.05;

type TryTake = (
  window: string,
  channel: string,
  hold: string,
  max: number,
  windowMs: number,
  spacingMs: number,
  member: string,
) => Promise<number>;

/** {@link SendLimiter} in Redis: three small keys per busy workspace, expiring on their own. */
export class RedisSendLimiter implements SendLimiter {
  private readonly tryTakeCommand: TryTake;
  private sequence = 0;
  /** `max` messages per `windowMs`: a rate under 1/s becomes one message per longer window. */
  private readonly max: number;
  private readonly windowMs: number;
  private readonly processId = randomBytes(6).toString('base64url');

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly limits: SendLimits,
  ) {
    const rate = limits.perWorkspacePerSecond;
    this.max = rate >= 1 ? Math.floor(rate) : 1;
    this.windowMs = Math.ceil((rate >= 1 ? 1000 : 1000 / rate) * MARGIN);
    const commands = redis as unknown as { esgTryTake?: TryTake };
    if (!commands.esgTryTake) {
      redis.defineCommand('esgTryTake', { numberOfKeys: 3, lua: TRY_TAKE });
    }
    this.tryTakeCommand = commands.esgTryTake!.bind(redis);
  }

  async tryTake(channel: ChannelRef): Promise<number> {
    return Number(
      await this.tryTakeCommand(
        this.keys.sendWindow(channel.platform, channel.workspaceId),
        this.keys.channelSendSpacing(channelKey(channel)),
        this.holdKey(channel),
        this.max,
        this.windowMs,
        Math.ceil(this.limits.channelSpacingMs * MARGIN),
        `${this.processId}:${++this.sequence}`,
      ),
    );
  }

  async holdWorkspace(channel: ChannelRef, ms: number): Promise<void> {
    await this.redis.set(this.holdKey(channel), '1', 'PX', Math.max(1, Math.ceil(ms)));
  }

  private holdKey(channel: ChannelRef): string {
    return `${this.keys.sendWindow(channel.platform, channel.workspaceId)}:hold`;
  }
}
