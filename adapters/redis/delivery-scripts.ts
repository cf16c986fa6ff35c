/**
 * Lua scripts of the delivery log. Each runs atomically in Redis, so the invariant "owed only
 * while not settled" holds against any interleaving of fan-outs and deliveries, and a
 * delivery costs two round trips: one to open the channel, one to record and close it.
 *
 * A channel is known by a small number (its bit in the per-post `settled` bitmaps), assigned
 * on first use from a counter that never goes back, so a retained delivery costs one bit.
 */

/** Shared by the scripts below: the channel's number, assigned on first use. */
export const CHANNEL_NUMBER = `
local function channel_number(ids, seq, field)
  local id = redis.call('HGET', ids, field)
  if id then return tonumber(id) end
  id = redis.call('INCR', seq)
  redis.call('HSET', ids, field, id)
  return id
end
`;

/**
 * KEYS: channel ids, id counter, owing index, then per target its settled bitmap and pending set.
 * ARGV: now (ms), then per target: channel field, board number, owing field, owing JSON.
 * Returns how many targets became owed.
 */
export const MARK_PENDING = `${CHANNEL_NUMBER}
local added = 0
local t = 0
for i = 4, #KEYS, 2 do
  local a = 2 + t * 4
  local id = channel_number(KEYS[1], KEYS[2], ARGV[a])
  if redis.call('GETBIT', KEYS[i], id) == 0 then
    redis.call('ZADD', KEYS[i + 1], ARGV[a + 1], ARGV[a + 1])
    redis.call('HSETNX', KEYS[3], ARGV[a + 2], ARGV[a + 3])
    added = added + 1
  end
  t = t + 1
end
return added
`;

/**
 * KEYS: lock, subscriptions, pending, owing index, channel schedules.
 * ARGV: token, ttl ms, channel field, board number, owing field.
 * Returns {'busy'}, {'unsubscribed'} or {'open', owing JSON or '', schedule JSON or '', owed
 * board numbers…}: the schedule comes with the turn, saving a round trip per delivery.
 */
export const OPEN_CHANNEL = `
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {'busy'} end
if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 0 then
  redis.call('DEL', KEYS[3])
  redis.call('HDEL', KEYS[4], ARGV[5])
  redis.call('DEL', KEYS[1])
  return {'unsubscribed'}
end
local owed = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[4])
table.insert(owed, 1, redis.call('HGET', KEYS[5], ARGV[3]) or '')
table.insert(owed, 1, redis.call('HGET', KEYS[4], ARGV[5]) or '')
table.insert(owed, 1, 'open')
return owed
`;

/** KEYS: lock. ARGV: token, ttl ms. Returns 1 when the turn was still ours and is extended. */
export const RENEW_CHANNEL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/**
 * KEYS: channel ids, id counter, settled bitmap, pending, owing index, channel-last, lock.
 * ARGV: channel field, retention s, board number, owing field, last-delivery JSON ('' for
 * none), token ('' keeps the lock).
 */
export const SETTLE = `${CHANNEL_NUMBER}
local id = channel_number(KEYS[1], KEYS[2], ARGV[1])
redis.call('SETBIT', KEYS[3], id, 1)
redis.call('EXPIRE', KEYS[3], ARGV[2])
redis.call('ZREM', KEYS[4], ARGV[3])
if redis.call('EXISTS', KEYS[4]) == 0 then redis.call('HDEL', KEYS[5], ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[6], ARGV[1], ARGV[5]) end
if ARGV[6] ~= '' and redis.call('GET', KEYS[7]) == ARGV[6] then redis.call('DEL', KEYS[7]) end
return 1
`;

/**
 * KEYS: channel problems. ARGV: channel field, kind ('refused' or 'given-up'), last JSON.
 * Counts one post that will never reach the channel.
 */
export const COUNT_PROBLEM = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
local counts = current and cjson.decode(current) or {refused = 0, givenUp = 0}
if ARGV[2] == 'refused' then counts.refused = counts.refused + 1 else counts.givenUp = counts.givenUp + 1 end
counts.last = cjson.decode(ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(counts))
return 1
`;

/** KEYS: pending, owing index. ARGV: owing field, board number ('' for all). */
export const DROP_PENDING = `
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('ZREM', KEYS[1], ARGV[2]) end
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
return 1
`;

/** KEYS: lock. ARGV: token. */
export const CLOSE_CHANNEL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
