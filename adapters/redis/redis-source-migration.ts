import type { RedisClient } from './redis-connection.js';
import type { Logger } from '../../src/util/logger.js';
import { sourceIdFor } from '../../src/model/post.js';
import type { SourceConfig } from '../../src/config/source-config.js';
import { migrateOnce } from './migrate-once.js';
import type { RedisKeys } from './redis-keys.js';
import { scanKeys } from './redis-scan.js';

/**
 * Moves what a release with one source wrote to the default named source, once per
 * deployment (see `migrateOnce`; each step is idempotent too): that release keyed its source
 * by an id made from `FEED_URL` (`k-esg.org-post`) and kept every channel's subscription in
 * one hash. Archive, cursor and read history, what channels are owed and their subscriptions
 * move to the default source's name (`esg`); nothing is lost.
 */
export async function migrateToNamedSources(
  redis: RedisClient,
  keys: RedisKeys,
  options: { defaultSource: SourceConfig; logger: Logger },
): Promise<void> {
  const to = options.defaultSource.name;
  const from = sourceIdFor(options.defaultSource.url);
  await migrateOnce(redis, keys, `named-source-${from}-${to}`, () =>
    moveToNamedSource(redis, keys, from, to, options.logger),
  );
}

async function moveToNamedSource(
  redis: RedisClient,
  keys: RedisKeys,
  from: string,
  to: string,
  logger: Logger,
): Promise<void> {
  const moved: string[] = [];

  if ((await redis.type(keys.legacySubscriptions())) === 'hash') {
    const subscriptions = await redis.hgetall(keys.legacySubscriptions());
    for (const [field, json] of Object.entries(subscriptions)) {
      await redis.hsetnx(keys.subscriptions(to), field, json);
    }
    await redis.del(keys.legacySubscriptions());
    moved.push(`${Object.keys(subscriptions).length} subscriptions`);
  }
  if (from === to) return done();

  for (const [old, next] of [
    [keys.posts(from), keys.posts(to)],
    [keys.postText(from), keys.postText(to)],
    [keys.sourceState(from), keys.sourceState(to)],
  ] as const) {
    if (await mergeHash(redis, old, next)) moved.push(old.slice(keys.prefix.length + 1));
  }
  if ((await redis.exists(keys.postNumbers(from))) === 1) {
    await redis.zunionstore(keys.postNumbers(to), 2, keys.postNumbers(to), keys.postNumbers(from));
    await redis.del(keys.postNumbers(from));
    moved.push('post numbers');
  }
  // What channels are owed, and its index for the sweep.
  for await (const key of scanKeys(redis, `${keys.prefix}:pending:${from}:*`)) {
    const channel = key.slice(`${keys.prefix}:pending:${from}:`.length);
    const next = keys.pendingDeliveries(to, channel);
    await redis.zunionstore(next, 2, next, key);
    await redis.del(key);
    const owing = await redis.hget(keys.owing(), `${from}|${channel}`);
    if (owing) {
      const entry = { ...(JSON.parse(owing) as object), sourceId: to };
      await redis.hsetnx(keys.owing(), `${to}|${channel}`, JSON.stringify(entry));
      await redis.hdel(keys.owing(), `${from}|${channel}`);
    }
    moved.push(`owed to ${channel}`);
  }
  for await (const key of scanKeys(redis, `${keys.prefix}:settled:${from}:*`)) {
    await redis.rename(key, keys.settled(to, Number(key.slice(key.lastIndexOf(':') + 1))));
  }
  // Channels' last alerts name their source.
  const last = await redis.hgetall(keys.channelLastDelivery());
  for (const [field, json] of Object.entries(last)) {
    const record = JSON.parse(json) as { sourceId?: string };
    if (record.sourceId === from) {
      await redis.hset(
        keys.channelLastDelivery(),
        field,
        JSON.stringify({ ...record, sourceId: to }),
      );
    }
  }
  return done();

  function done(): void {
    if (moved.length > 0) {
      logger.info({ from, to, moved: moved.slice(0, 20) }, 'moved data to the named source');
    }
  }
}

/** Copies the fields `to` lacks from `from` and deletes `from`; true when there was one. */
async function mergeHash(redis: RedisClient, from: string, to: string): Promise<boolean> {
  if ((await redis.exists(from)) === 0) return false;
  if ((await redis.exists(to)) === 0) {
    await redis.rename(from, to);
    return true;
  }
  for (const [field, value] of Object.entries(await redis.hgetall(from))) {
    await redis.hsetnx(to, field, value);
  }
  await redis.del(from);
  return true;
}
