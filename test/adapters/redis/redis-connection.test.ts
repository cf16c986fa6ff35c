import { describe, expect, it } from 'vitest';
import {
  connectRedis,
  RedisUnreachableError,
  type RedisTarget,
} from '../../../adapters/redis/redis-connection.js';
import { freePort } from '../../support/private-redis.js';
import { TEST_REDIS_URL } from '../../support/redis.js';

async function failureOf(target: RedisTarget): Promise<RedisUnreachableError> {
  const error: unknown = await connectRedis(target, { connectTimeoutMs: 5_000 }).then(
    (client) => {
      client.disconnect();
      throw new Error('connected');
    },
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(RedisUnreachableError);
  return error as RedisUnreachableError;
}

describe('connecting to Redis at start', () => {
  it('names the cluster nodes it tried, without the password, and what to check', async () => {
    const port = await freePort();
    const error = await failureOf({
      redisUrl: 'redis://bot:s3cret@127.0.0.1:6379',
      redisClusterNodes: [{ host: '127.0.0.1', port }],
    });
    expect(error.code).toBe('REDIS_UNREACHABLE');
    expect(error.message).toContain(
      `cannot reach Redis at the Redis Cluster 127.0.0.1:${port} (REDIS_CLUSTER_NODES)`,
    );
    expect(error.message).toContain('no seed node gave the slot map');
    expect(error.message).toContain('Check that REDIS_CLUSTER_NODES lists nodes');
    expect(error.message).not.toContain('s3cret');
  });

  it('says so when a cluster node is a Redis without cluster support', async () => {
    const { hostname, port } = new URL(TEST_REDIS_URL);
    const error = await failureOf({
      redisUrl: TEST_REDIS_URL,
      redisClusterNodes: [{ host: hostname, port: Number(port || 6379) }],
    });
    expect(error.message).toContain('cluster support disabled');
  });

  it('names the URL it tried for a single Redis, and how to get one', async () => {
    const port = await freePort();
    const error = await failureOf({
      redisUrl: `redis://:s3cret@127.0.0.1:${port}`,
      redisClusterNodes: null,
    });
    expect(error.message).toMatch(
      /cannot reach Redis at redis:\/\/.*127\.0\.0\.1:\d+ \(REDIS_URL\)/,
    );
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('set REDIS_URL to yours');
    expect(error.message).not.toContain('s3cret');
  });
});
