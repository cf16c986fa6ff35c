import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis-connection.js';

/** Deletes the lock only if it is still ours: an expired lock may have a new owner. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

type ReleaseCommand = (key: string, token: string) => Promise<number>;

/** The release script as a command of the connection: sent by its SHA after the first call. */
function releaseCommand(redis: RedisClient): ReleaseCommand {
  const commands = redis as unknown as { esgReleaseLock?: ReleaseCommand };
  if (!commands.esgReleaseLock) {
    redis.defineCommand('esgReleaseLock', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  }
  return commands.esgReleaseLock!;
}

/**
 * Runs `task` while holding a Redis lock, across every process sharing the Redis. Returns
 * `{ acquired: false }` at once when another holder has it. The TTL bounds how long a crashed
 * holder blocks the others.
 */
export async function withRedisLock<T>(
  redis: RedisClient,
  key: string,
  ttlMs: number,
  task: () => Promise<T>,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  const token = randomUUID();
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return { acquired: false };
  try {
    return { acquired: true, value: await task() };
  } finally {
    await releaseCommand(redis).call(redis, key, token);
  }
}

/** True for the first caller to claim `key` within `ttlSeconds`, across all processes. */
export async function claimOnce(
  redis: RedisClient,
  key: string,
  ttlSeconds: number,
): Promise<boolean> {
  return (await redis.set(key, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
}
