import type { DeliveryTarget } from '../../src/ports/delivery-log.js';
import { channelKey } from '../../src/model/subscription.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';

/**
 * KEYS: channel ids, id counter, settled bitmap, pending set, owing index.
 * ARGV: channel field, board number, owing field, owing JSON.
 * Returns 'settled' (it had been delivered or given up there), 'owed' (it still was) or 'new'.
 *
 * The channel's number is assigned as the delivery scripts do (`channel_number` in
 * delivery-scripts.ts). The bit is cleared only when set: SETBIT on a missing bitmap would
 * create one without the retention's expiry. Clearing keeps the bitmap's expiry, and the
 * delivery that follows sets the bit and the expiry again.
 */
const REOPEN = `
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then
  id = redis.call('INCR', KEYS[2])
  redis.call('HSET', KEYS[1], ARGV[1], id)
end
local was = 'new'
if redis.call('GETBIT', KEYS[3], id) == 1 then
  redis.call('SETBIT', KEYS[3], id, 0)
  was = 'settled'
elseif redis.call('ZSCORE', KEYS[4], ARGV[2]) then
  was = 'owed'
end
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[2])
redis.call('HSETNX', KEYS[5], ARGV[3], ARGV[4])
return was
`;

/** What a post was for the channel before it was made owed again. */
export type ReopenedFrom = 'settled' | 'owed' | 'new';

interface ResendCommands {
  esgReopenDelivery(...args: Array<string | number>): Promise<ReopenedFrom>;
}

/**
 * An operator's resend, at the delivery log's level: makes one post owed to one channel
 * again, even when it was settled there, in one atomic step. Whoever opens the channel next
 * sends it once and settles it again, so two resends racing, or a resend racing the post's
 * own delivery, still send it once more, not twice. Nothing else is reopened: every other
 * (post, channel) keeps its settled bit.
 */
export class RedisResend {
  private readonly commands: ResendCommands;

  constructor(
    redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    if (!('esgReopenDelivery' in redis)) {
      redis.defineCommand('esgReopenDelivery', { numberOfKeys: 5, lua: REOPEN });
    }
    this.commands = redis as unknown as ResendCommands;
  }

  /** Makes the post owed to the channel again; says what it was before. */
  async reopen(target: DeliveryTarget, at: Date): Promise<ReopenedFrom> {
    const field = channelKey(target.channel);
    // The same index entry fan-out writes (see RedisDeliveryLog): the sweep finds it there.
    const owingField = `${target.sourceId}|${field}`;
    const owing = { sourceId: target.sourceId, channel: target.channel, since: at.getTime() };
    return this.commands.esgReopenDelivery(
      this.keys.channelIds(),
      this.keys.channelIdSequence(),
      this.keys.settled(target.sourceId, target.boardNo),
      this.keys.pendingDeliveries(target.sourceId, field),
      this.keys.owing(),
      field,
      target.boardNo,
      owingField,
      JSON.stringify(owing),
    );
  }
}
