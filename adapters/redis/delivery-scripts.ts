/**
 * Lua scripts of the delivery log. Each runs atomically in Redis, so the invariant "owed only
 * while not delivered" holds against any interleaving of fan-outs and deliveries, and a
 * delivery costs two round trips: one to open the channel, one to record and close it.
 */

/** KEYS: per target, its delivered hash then its pending set. ARGV: per target, channel field then board number. */
export const MARK_PENDING = `
local added = 0
for i = 1, #KEYS, 2 do
  local field = ARGV[i]
  local boardNo = ARGV[i + 1]
  if redis.call('HEXISTS', KEYS[i], field) == 0 then
    redis.call('ZADD', KEYS[i + 1], boardNo, boardNo)
    redis.call('EXPIRE', KEYS[i + 1], ARGV[#ARGV])
    added = added + 1
  end
end
return added
`;

/** KEYS: lock, subscriptions, pending. ARGV: token, ttl ms, channel field, board number. */
export const OPEN_CHANNEL = `
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {'busy'} end
if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 0 then
  redis.call('DEL', KEYS[3])
  redis.call('DEL', KEYS[1])
  return {'unsubscribed'}
end
local owed = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[4])
table.insert(owed, 1, 'open')
return owed
`;

/**
 * KEYS: delivered, pending, channel-last, lock.
 * ARGV: channel field, time, record TTL s, board number, last-delivery JSON, token ('' keeps the lock).
 */
export const RECORD_DELIVERED = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[4])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[5])
if ARGV[6] ~= '' and redis.call('GET', KEYS[4]) == ARGV[6] then redis.call('DEL', KEYS[4]) end
return 1
`;

/** KEYS: lock. ARGV: token. */
export const CLOSE_CHANNEL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
