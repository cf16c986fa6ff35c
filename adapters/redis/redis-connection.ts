import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { redactUrl } from '../../src/errors.js';

/**
 * A connection to the bot's Redis: one server, or a Redis Cluster. Every store and queue takes
 * either; keys of a deployment carry one hash tag in a cluster (see `Config.keyPrefix`), so the
 * multi-key scripts find all their keys in one slot.
 */
export type RedisClient = Redis | Cluster;

/** Where the bot's Redis is: `REDIS_URL`, or the seed nodes of a cluster. */
export interface RedisTarget {
  redisUrl: string;
  redisClusterNodes: ReadonlyArray<{ host: string; port: number }> | null;
}

/** Raised when Redis does not answer at start: says where the bot looked and what to do. */
export class RedisUnreachableError extends Error {
  readonly code = 'REDIS_UNREACHABLE';
  constructor(where: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `cannot reach Redis at ${where} (${reason}). Start one (e.g. \`docker run -p 6379:6379 redis:7\`, or \`apt-get install redis-server\`) or set REDIS_URL to yours.`,
      { cause },
    );
    this.name = 'RedisUnreachableError';
  }
}

/** What the operator configured, with any password hidden, for messages and logs. */
export function describeRedisTarget(target: RedisTarget): string {
  if (target.redisClusterNodes) {
    const nodes = target.redisClusterNodes.map((n) => `${n.host}:${n.port}`).join(', ');
    return `the Redis Cluster ${nodes} (REDIS_CLUSTER_NODES)`;
  }
  return `${redactUrl(target.redisUrl)} (REDIS_URL)`;
}

export interface ConnectOptions extends RedisOptions {
  /** Reports connection errors after the start; they are retried by ioredis meanwhile. */
  onError?: (error: Error) => void;
  /** How long the first connection may take before the start fails (default 10 s). */
  connectTimeoutMs?: number;
}

/**
 * Connects and waits until Redis answers. At start a Redis that is not there is a fatal,
 * explained error rather than endless retries; later outages are retried by ioredis.
 */
export async function connectRedis(
  target: RedisTarget,
  options: ConnectOptions = {},
): Promise<RedisClient> {
  const { onError, connectTimeoutMs = 10_000, ...redisOptions } = options;
  const client = createClient(target, { ...redisOptions, lazyConnect: true });
  let startError: unknown;
  const recordStartError = (error: Error) => {
    startError ??= error;
  };
  client.on('error', recordStartError);
  try {
    await withTimeout(client.connect(), connectTimeoutMs);
    await withTimeout(client.ping(), connectTimeoutMs);
  } catch (error) {
    client.disconnect();
    throw new RedisUnreachableError(describeRedisTarget(target), startError ?? error);
  } finally {
    client.off('error', recordStartError);
  }
  if (onError) client.on('error', onError);
  else client.on('error', () => undefined);
  return client;
}

function createClient(target: RedisTarget, options: RedisOptions): RedisClient {
  if (!target.redisClusterNodes) return new Redis(target.redisUrl, options);
  // The cluster's nodes share REDIS_URL's credentials and TLS choice, when it carries them.
  const url = new URL(target.redisUrl);
  const auth: RedisOptions = {
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  const { enableAutoPipelining, maxRetriesPerRequest, ...rest } = options;
  return new Cluster([...target.redisClusterNodes], {
    lazyConnect: true,
    ...(enableAutoPipelining !== undefined ? { enableAutoPipelining } : {}),
    redisOptions: {
      ...rest,
      ...auth,
      ...(maxRetriesPerRequest !== undefined ? { maxRetriesPerRequest } : {}),
    },
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
