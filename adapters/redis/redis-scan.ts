import type { RedisClient } from './redis-connection.js';

/** Every key matching `pattern`, by SCAN: never one blocking KEYS over a shared Redis. */
export async function* scanKeys(redis: RedisClient, pattern: string): AsyncIterable<string> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    yield* found;
  } while (cursor !== '0');
}
