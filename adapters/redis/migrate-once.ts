import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from './redis-connection.js';
import { withRedisLock } from './redis-lock.js';
import type { RedisKeys } from './redis-keys.js';

/** Longest a migration may hold its lock; a crashed migrator frees it after this. */
const MIGRATION_LOCK_MS = 5 * 60_000;

/**
 * Runs a data migration once per deployment: one process at a time (others starting at the
 * same moment wait for it, so none starts on half-moved data), marked done only when it
 * finished, so a crash in the middle is taken up again at the next start. Later starts cost
 * one EXISTS.
 */
export async function migrateOnce(
  redis: RedisClient,
  keys: RedisKeys,
  name: string,
  migrate: () => Promise<void>,
): Promise<void> {
  const done = keys.migration(name);
  while ((await redis.exists(done)) === 0) {
    const run = await withRedisLock(
      redis,
      keys.lock(`migration-${name}`),
      MIGRATION_LOCK_MS,
      async () => {
        if ((await redis.exists(done)) === 1) return; // finished while we waited for the lock
        await migrate();
        await redis.set(done, String(Date.now()));
      },
    );
    if (!run.acquired) await sleep(200);
  }
}
