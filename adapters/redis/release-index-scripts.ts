/**
 * The archive's index of press releases (korea.kr `newsId` → the post of each source carrying
 * it), in a few hash buckets instead of a key per release: a key costs Redis hundreds of bytes,
 * a field of a small (listpack) hash a few dozen. A field is `<newsId>` → `<saved at
 * ms>|<source>=<number>|…`; source ids hold neither `|` nor `=` (see `sourceIdFor`, SOURCE_NAME).
 */

/** Buckets: a month of every ministry's releases keeps each within a listpack. */
export const RELEASE_BUCKETS = 64;

/** A bucket this large is pruned of releases older than the retention on the next save. */
const PRUNE_ABOVE = 48;

/**
 * KEYS: the bucket. ARGV: release id, source, number, now (ms), retention (ms). Records the
 * source's carrier of the release (replacing its earlier one), prunes stale releases of a
 * large bucket, and keeps the bucket for the retention.
 */
export const SAVE_CARRIER = `
local id, source, number = ARGV[1], ARGV[2], ARGV[3]
local now, keep = tonumber(ARGV[4]), tonumber(ARGV[5])
local carriers = {}
local value = redis.call('HGET', KEYS[1], id)
if value then
  for part in string.gmatch(string.match(value, '^[^|]*(.*)$'), '[^|]+') do
    if string.match(part, '^(.*)=') ~= source then carriers[#carriers + 1] = part end
  end
end
carriers[#carriers + 1] = source .. '=' .. number
redis.call('HSET', KEYS[1], id, now .. '|' .. table.concat(carriers, '|'))
if redis.call('HLEN', KEYS[1]) > ${PRUNE_ABOVE} then
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    local at = tonumber(string.match(all[i + 1], '^(%d+)|'))
    if at and at < now - keep then redis.call('HDEL', KEYS[1], all[i]) end
  end
end
redis.call('PEXPIRE', KEYS[1], keep)
return 0
`;

/** The carriers a bucket's field lists: `[source, number]` pairs; none for a stale field. */
export function carriersOf(
  value: string | null,
  now: number,
  retentionMs: number,
): Array<[string, number]> {
  if (!value) return [];
  const [savedAt, ...parts] = value.split('|');
  if (Number(savedAt) < now - retentionMs) return [];
  return parts.flatMap((part) => {
    const at = part.lastIndexOf('=');
    const number = Number(part.slice(at + 1));
    return at > 0 && Number.isSafeInteger(number)
      ? [[part.slice(0, at), number] as [string, number]]
      : [];
  });
}

/** The bucket of a release id (digits: see `releaseIdOf`). */
export function releaseBucket(releaseId: string): number {
  return Number(releaseId.slice(-6)) % RELEASE_BUCKETS;
}
