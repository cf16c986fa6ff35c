import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from './redis-connection.js';

/**
 * Every key matching `pattern`, by SCAN: never one blocking KEYS over a shared Redis. On a
 * cluster SCAN answers for one node only, so each master is scanned in turn.
 */
export async function* scanKeys(redis: RedisClient, pattern: string): AsyncIterable<string> {
  if (!(redis instanceof Cluster)) {
    yield* scanNode(redis, pattern);
    return;
  }
  // A key whose slot moves to another master during the walk can be met twice; it is
  // reported once. Only the matching keys are remembered, as few as a migration touches.
  const reported = new Set<string>();
  for (const master of redis.nodes('master')) {
    for await (const key of scanNode(master, pattern)) {
      if (reported.has(key)) continue;
      reported.add(key);
      yield key;
    }
  }
}

async function* scanNode(redis: Redis, pattern: string): AsyncIterable<string> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    yield* found;
  } while (cursor !== '0');
}
