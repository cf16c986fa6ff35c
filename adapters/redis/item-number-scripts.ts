/**
 * Lua scripts of the feed item numbers. Each runs atomically in Redis, so two processes
 * numbering the same new items at once still give each identity one number, and a number
 * one identity.
 *
 * The numbers hash holds both directions, in two field spaces that cannot meet:
 * `i:<identity>` → number, and `n:<number>` → identity (who holds a number).
 */

/**
 * KEYS: numbers hash, seen sorted set, sequence counter.
 * ARGV: per item, its identity and its own number ('' for none).
 * Returns: 1 when no item of the source was marked seen before (its first read), else 0;
 * then per item its number and 1 if it was seen before, else 0.
 */
export const ASSIGN_ITEM_NUMBERS = `
local numbers, seen, sequence = KEYS[1], KEYS[2], KEYS[3]
local out = { redis.call('ZCARD', seen) == 0 and 1 or 0 }
for i = 1, #ARGV, 2 do
  local id, own = ARGV[i], ARGV[i + 1]
  local number = redis.call('HGET', numbers, 'i:' .. id)
  if not number then
    if own ~= '' and redis.call('HSETNX', numbers, 'n:' .. own, id) == 1 then
      number = own
    else
      -- The sequence skips numbers that items carrying their own already hold.
      repeat
        number = tostring(redis.call('INCR', sequence))
      until redis.call('HSETNX', numbers, 'n:' .. number, id) == 1
    end
    redis.call('HSET', numbers, 'i:' .. id, number)
  end
  out[#out + 1] = tonumber(number)
  out[#out + 1] = redis.call('ZSCORE', seen, id) and 1 or 0
end
return out
`;

/**
 * KEYS: numbers hash, seen sorted set.
 * ARGV: time (ms), how many identities to keep, then the identities in the feed now.
 * Adds the identities not seen before with the time as score, then forgets the oldest beyond
 * the bound (never one in the feed now: it would come back as new), with their numbers.
 * Returns how many were forgotten.
 */
export const MARK_ITEMS_SEEN = `
local numbers, seen = KEYS[1], KEYS[2]
local at, keep = ARGV[1], tonumber(ARGV[2])
local current = {}
for i = 3, #ARGV do
  current[ARGV[i]] = true
  redis.call('ZADD', seen, 'NX', at, ARGV[i])
end
local excess = redis.call('ZCARD', seen) - keep
if excess <= 0 then return 0 end
local victims = {}
local start = 0
while #victims < excess do
  local batch = redis.call('ZRANGE', seen, start, start + 199)
  if #batch == 0 then break end
  for _, id in ipairs(batch) do
    if not current[id] then
      victims[#victims + 1] = id
      if #victims >= excess then break end
    end
  end
  start = start + 200
end
for _, id in ipairs(victims) do
  redis.call('ZREM', seen, id)
  local number = redis.call('HGET', numbers, 'i:' .. id)
  redis.call('HDEL', numbers, 'i:' .. id)
  if number and redis.call('HGET', numbers, 'n:' .. number) == id then
    redis.call('HDEL', numbers, 'n:' .. number)
  end
end
return #victims
`;
