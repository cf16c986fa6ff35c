/**
 * Lua scripts of following a source. Each runs atomically in Redis, so the limits hold under
 * any number of concurrent `/news 구독` from any number of processes: a count is read and
 * taken in one step. They also keep two indexes beside the subscriptions themselves: the
 * sources each channel follows (its limit), and per tenant how many of its channels follow
 * each chat-added source (what it may see, and its limit).
 *
 * Records are the registry's JSON; only `origin` and `url` are read here.
 */

/**
 * KEYS: 1 registry hash, 2 released hash, 3 the source's subscriptions hash,
 *       4 the channel's followed set, 5 the tenant's chat-sources hash,
 *       6 the subscriptions-per-platform hash.
 * ARGV: 1 source name, 2 channel field, 3 subscription JSON,
 *       4 record JSON to register when the name is free ('' for none),
 *       5 require the source to be registered ('1') or not ('0'),
 *       6 most sources per channel, 7 most chat-added sources per tenant,
 *       8 most sources in all (-1: no limit, for each), 9 the channel's platform.
 * Returns one of: updated, followed, registered, channel-full, tenant-full, sources-full,
 * unknown-source, name-taken.
 */
export const FOLLOW = `
local registry, released, subscriptions, followed, tenant = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local name, field, subscription, register = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local platform = ARGV[9]
local require_source = ARGV[5] == '1'
local per_channel, per_tenant, in_all = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local function full(limit, count) return limit >= 0 and count >= limit end

local record = redis.call('HGET', registry, name)
local registering = false
if record then
  if register ~= '' and cjson.decode(record).url ~= cjson.decode(register).url then
    return 'name-taken'
  end
elseif register ~= '' then
  local held = redis.call('HGET', released, name)
  if held and cjson.decode(held).url ~= cjson.decode(register).url then return 'name-taken' end
  record = register
  registering = true
elseif require_source then
  return 'unknown-source'
end
local chat = false
if record then chat = cjson.decode(record).origin == 'chat' end

if redis.call('HEXISTS', subscriptions, field) == 1 then
  redis.call('HSET', subscriptions, field, subscription)
  redis.call('SADD', followed, name)
  return 'updated'
end
if full(per_channel, redis.call('SCARD', followed)) then return 'channel-full' end
if chat and redis.call('HEXISTS', tenant, name) == 0 and full(per_tenant, redis.call('HLEN', tenant)) then
  return 'tenant-full'
end
if registering then
  if full(in_all, redis.call('HLEN', registry)) then return 'sources-full' end
  redis.call('HSET', registry, name, record)
  redis.call('HDEL', released, name)
end
redis.call('HSET', subscriptions, field, subscription)
redis.call('SADD', followed, name)
redis.call('HINCRBY', KEYS[6], platform, 1)
if chat then redis.call('HINCRBY', tenant, name, 1) end
if registering then return 'registered' end
return 'followed'
`;

/**
 * KEYS: 1 registry hash, 2 released hash, 3 the source's subscriptions hash,
 *       4 the channel's followed set, 5 the tenant's chat-sources hash,
 *       6 the subscriptions-per-platform hash.
 * ARGV: 1 source name, 2 channel field, 3 now (ISO time), 4 the channel's platform.
 * Returns not-following, unfollowed, or released when this was the last follower of a
 * chat-added source: its record moves to the released hash (with `releasedAt`), so it is no
 * longer read, listed or counted, in the same step as the follow that could have kept it.
 */
export const UNFOLLOW = `
local registry, released, subscriptions, followed, tenant = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local name, field, now = ARGV[1], ARGV[2], ARGV[3]
redis.call('SREM', followed, name)
if redis.call('HDEL', subscriptions, field) == 0 then return 'not-following' end
if redis.call('HINCRBY', KEYS[6], ARGV[4], -1) <= 0 then redis.call('HDEL', KEYS[6], ARGV[4]) end
local record = redis.call('HGET', registry, name)
if not record or cjson.decode(record).origin ~= 'chat' then return 'unfollowed' end
if redis.call('HINCRBY', tenant, name, -1) <= 0 then redis.call('HDEL', tenant, name) end
if redis.call('HLEN', subscriptions) > 0 then return 'unfollowed' end
local source = cjson.decode(record)
source.releasedAt = now
redis.call('HSET', released, name, cjson.encode(source))
redis.call('HDEL', registry, name)
return 'released'
`;

/**
 * KEYS: 1 registry hash, 2 released hash, 3 the source's subscriptions hash.
 * ARGV: 1 source name, 2 now (ISO time).
 * Releases a chat-added source that nobody follows (left so by a crash, or by an older
 * release): released, or kept.
 */
export const RELEASE_IF_UNFOLLOWED = `
local record = redis.call('HGET', KEYS[1], ARGV[1])
if not record or redis.call('HLEN', KEYS[3]) > 0 then return 'kept' end
local source = cjson.decode(record)
if source.origin ~= 'chat' then return 'kept' end
source.releasedAt = ARGV[2]
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(source))
redis.call('HDEL', KEYS[1], ARGV[1])
return 'released'
`;

/**
 * KEYS: 1 registry hash, 2 released hash, then every data key of the source.
 * ARGV: 1 source name, 2 released before (ISO time).
 * Deletes a released source's data once its grace period is over, unless it was followed
 * again meanwhile (then it is in the registry and its data is its own again). Returns 1 when
 * deleted.
 */
export const PURGE_RELEASED = `
local held = redis.call('HGET', KEYS[2], ARGV[1])
if not held then return 0 end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  redis.call('HDEL', KEYS[2], ARGV[1])
  return 0
end
if cjson.decode(held).releasedAt >= ARGV[2] then return 0 end
for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
`;
