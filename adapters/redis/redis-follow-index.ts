import type { Logger } from '../../src/util/logger.js';
import type { SourceRecord } from '../../src/ports/source-registry.js';
import { channelKey, type Subscription } from '../../src/model/subscription.js';
import { tenantOf } from '../../src/model/tenant.js';
import { migrateOnce } from './migrate-once.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';

/**
 * Builds the follow indexes (each channel's followed sources, each tenant's chat-added
 * sources) from the subscriptions an older release wrote without them, once per deployment.
 */
export async function migrateFollowIndexes(
  redis: RedisClient,
  keys: RedisKeys,
  logger: Logger,
): Promise<void> {
  await migrateOnce(redis, keys, 'follow-indexes-v1', async () => {
    const names = await redis.hkeys(keys.sources());
    const { seen, byPlatform } = await indexFollows(redis, keys, names);
    // Counted over every source at once: set, so a second run changes nothing.
    const tx = redis.multi().del(keys.platformSubscriptions());
    if (byPlatform.size > 0) tx.hset(keys.platformSubscriptions(), Object.fromEntries(byPlatform));
    await tx.exec();
    if (seen > 0) {
      logger.info({ subscriptions: seen }, 'indexed the subscriptions of an older release');
    }
  });
}

/**
 * Writes the follow indexes of these sources from their subscriptions: every follower's
 * channel set gets the source, and for a chat-added source each tenant's count is set to how
 * many of its channels follow it (set, not added: running it twice changes nothing), and a
 * configured source is taken out of every tenant's. For sources whose origin just changed (a
 * configured source dropped from `SOURCES` becomes chat-added, or the other way) and for the
 * first start after an upgrade. Returns the subscriptions seen, and per platform.
 */
export async function indexFollows(
  redis: RedisClient,
  keys: RedisKeys,
  names: readonly string[],
): Promise<{ seen: number; byPlatform: Map<string, number> }> {
  let seen = 0;
  const byPlatform = new Map<string, number>();
  for (const name of names) {
    const json = await redis.hget(keys.sources(), name);
    const chat = json !== null && (JSON.parse(json) as SourceRecord).origin === 'chat';
    const tenants = new Map<string, number>();
    let cursor = '0';
    do {
      const [next, flat] = await redis.hscan(keys.subscriptions(name), cursor, 'COUNT', 500);
      cursor = next;
      const tx = redis.multi();
      for (let i = 1; i < flat.length; i += 2) {
        const subscription = JSON.parse(flat[i]!) as Subscription;
        tx.sadd(keys.channelSources(channelKey(subscription)), name);
        const tenant = tenantOf(subscription);
        tenants.set(tenant, (tenants.get(tenant) ?? 0) + 1);
        byPlatform.set(subscription.platform, (byPlatform.get(subscription.platform) ?? 0) + 1);
        seen++;
      }
      await tx.exec();
    } while (cursor !== '0');
    // A configured source is everyone's: it takes no place in any tenant's budget.
    for (const [tenant, count] of tenants) {
      if (chat) await redis.hset(keys.tenantSources(tenant), name, count);
      else await redis.hdel(keys.tenantSources(tenant), name);
    }
  }
  return { seen, byPlatform };
}
