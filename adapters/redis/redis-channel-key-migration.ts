import type { Logger } from '../../src/util/logger.js';
import { channelKey, type ChannelRef } from '../../src/model/subscription.js';
import { migrateOnce } from './migrate-once.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { scanKeys } from './redis-scan.js';

/**
 * Re-keys what is stored under a channel key of an older release, once per deployment (see
 * `migrateOnce`; each move is idempotent too). Keys once kept `-` inside the ids, so
 * `{T1-A, C1}` and `{T1, A-C1}` shared one; today's `channelKey` escapes it. Ids of plain
 * letters and digits (every real Slack and Discord id, the console's `local`/`console`) keep
 * their key, and nothing of theirs moves.
 *
 * Subscriptions whose field is not `channelKey` of their own JSON move to that key (one
 * already stored there, written by this release, wins); so do what channels are owed (the
 * `owing` index names the channel too). The channel's schedule, last alert, problems and
 * settled-bit number follow its subscriptions; channels that shared a key each keep a copy, as
 * they shared it before. The message ids kept for corrections stay under the old key: an alert
 * sent before the upgrade to such a channel is not edited by a correction.
 */
export async function migrateChannelKeys(
  redis: RedisClient,
  keys: RedisKeys,
  options: { logger: Logger },
): Promise<void> {
  await migrateOnce(redis, keys, 'channel-keys-v2', () => rekey(redis, keys, options.logger));
}

async function rekey(redis: RedisClient, keys: RedisKeys, logger: Logger): Promise<void> {
  /** Old field → the new keys of the channels stored under it (more than one: a collision). */
  const moved = new Map<string, Set<string>>();
  for await (const hash of scanKeys(redis, keys.subscriptionsPattern())) {
    for (const [field, json] of await staleFields(redis, hash, subscriptionField)) {
      const key = subscriptionField(json);
      // One hash: the move is atomic (every key shares one slot on a cluster too).
      await redis.multi().hsetnx(hash, key, json).hdel(hash, field).exec();
      moved.set(field, (moved.get(field) ?? new Set()).add(key));
    }
  }

  let owed = 0;
  for (const [field, json] of await staleFields(redis, keys.owing(), owingField)) {
    const { sourceId, channel } = JSON.parse(json) as OwingEntry;
    const oldSet = keys.pendingDeliveries(sourceId, field.slice(sourceId.length + 1));
    const newSet = keys.pendingDeliveries(sourceId, channelKey(channel));
    await redis
      .multi()
      .zunionstore(newSet, 2, newSet, oldSet)
      .del(oldSet)
      .hsetnx(keys.owing(), owingField(json), json)
      .hdel(keys.owing(), field)
      .exec();
    owed++;
  }

  for (const hash of [
    keys.channelSchedules(),
    keys.channelLastDelivery(),
    keys.channelProblems(),
    keys.channelIds(),
  ]) {
    for (const [from, to] of moved) {
      const value = await redis.hget(hash, from);
      if (value === null) continue;
      const tx = redis.multi();
      for (const key of to) tx.hsetnx(hash, key, value);
      await tx.hdel(hash, from).exec();
    }
  }
  if (moved.size + owed > 0) {
    logger.info(
      { channels: moved.size, owed },
      'moved channel data stored under channel keys of an older release',
    );
  }
}

/** What the `owing` index holds per (source, channel). */
interface OwingEntry {
  sourceId: string;
  channel: ChannelRef;
}

/** The field a subscription's JSON belongs under. */
function subscriptionField(json: string): string {
  return channelKey(JSON.parse(json) as ChannelRef);
}

/** The `owing` field an entry's JSON belongs under (`source|channel key`, as the log writes). */
function owingField(json: string): string {
  const { sourceId, channel } = JSON.parse(json) as OwingEntry;
  return `${sourceId}|${channelKey(channel)}`;
}

/**
 * The hash's fields that are not where `fieldOf` puts their JSON, read whole before any of
 * them moves (HSCAN may repeat or skip fields of a hash changed under it).
 */
async function staleFields(
  redis: RedisClient,
  hash: string,
  fieldOf: (json: string) => string,
): Promise<Array<[string, string]>> {
  const found: Array<[string, string]> = [];
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(hash, cursor, 'COUNT', 1000);
    cursor = next;
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const [field, json] = [flat[i]!, flat[i + 1]!];
      if (field !== fieldOf(json)) found.push([field, json]);
    }
  } while (cursor !== '0');
  return found;
}
