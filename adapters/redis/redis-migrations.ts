import type { RedisClient } from './redis-connection.js';
import type { Logger } from '../../src/util/logger.js';
import type { Subscription } from '../../src/model/subscription.js';
import { migrateOnce } from './migrate-once.js';
import type { RedisKeys } from './redis-keys.js';
import { scanKeys } from './redis-scan.js';

/** What 0.1 wrote per delivery: a hash per post, kept 90 days. */
const LEGACY_RECORD_TTL_SECONDS = 90 * 24 * 3600;

/**
 * Brings delivery state written by 0.1 to today's layout, once per deployment (see
 * `migrateOnce`): pending sets get their entry in the `owing` index, so the sweep
 * sees them; per-post delivery hashes become bits in the `settled` bitmaps when they are
 * recent enough to still guard against a re-run, and are deleted either way.
 */
export async function migrateDeliveryState(
  redis: RedisClient,
  keys: RedisKeys,
  options: { retentionMs: number; logger: Logger },
): Promise<void> {
  await migrateOnce(redis, keys, 'delivery-state-v2', () =>
    moveDeliveryState(redis, keys, options),
  );
}

async function moveDeliveryState(
  redis: RedisClient,
  keys: RedisKeys,
  options: { retentionMs: number; logger: Logger },
): Promise<void> {
  let indexed = 0;
  let converted = 0;
  let deleted = 0;

  for await (const key of scanKeys(redis, keys.pendingPattern())) {
    const [sourceId, field] = key.slice(`${keys.prefix}:pending:`.length).split(':');
    if (!sourceId || !field) continue;
    const json = await redis.hget(keys.subscriptions(sourceId), field);
    if (!json) {
      await redis.del(key);
      continue;
    }
    const { platform, workspaceId, channelId } = JSON.parse(json) as Subscription;
    const owing = { sourceId, channel: { platform, workspaceId, channelId }, since: Date.now() };
    indexed += await redis.hsetnx(keys.owing(), `${sourceId}|${field}`, JSON.stringify(owing));
  }

  const retentionSeconds = Math.ceil(options.retentionMs / 1000);
  for await (const key of scanKeys(redis, keys.legacyDeliveredPattern())) {
    const ttl = await redis.ttl(key);
    const [sourceId, boardNo] = key.slice(`${keys.prefix}:delivered:`.length).split(':');
    if (sourceId && boardNo && ttl > LEGACY_RECORD_TTL_SECONDS - retentionSeconds) {
      for (const field of await redis.hkeys(key)) {
        const id = await channelNumber(redis, keys, field);
        await redis.setbit(keys.settled(sourceId, Number(boardNo)), id, 1);
        converted++;
      }
      await redis.expire(keys.settled(sourceId, Number(boardNo)), retentionSeconds);
    }
    await redis.del(key);
    deleted++;
  }
  if (indexed + converted + deleted > 0) {
    options.logger.info(
      { indexed, converted, deleted },
      'migrated delivery state written by an older release',
    );
  }
}

async function channelNumber(redis: RedisClient, keys: RedisKeys, field: string): Promise<number> {
  const existing = await redis.hget(keys.channelIds(), field);
  if (existing) return Number(existing);
  const id = await redis.incr(keys.channelIdSequence());
  const set = await redis.hsetnx(keys.channelIds(), field, id);
  return set === 1 ? id : Number(await redis.hget(keys.channelIds(), field));
}
