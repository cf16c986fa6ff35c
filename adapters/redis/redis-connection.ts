import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { redactUrl } from '../../src/model/source-error.js';

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
  constructor(target: RedisTarget, cause: unknown) {
    const advice = target.redisClusterNodes
      ? 'Check that REDIS_CLUSTER_NODES lists nodes of a running Redis Cluster (cluster-enabled yes) that this host can reach, or unset it to use the single Redis at REDIS_URL.'
      : 'Start one (e.g. `docker run -p 6379:6379 redis:7`, or `apt-get install redis-server`) or set REDIS_URL to yours.';
    super(`cannot reach Redis at ${describeRedisTarget(target)} (${reasonOf(cause)}). ${advice}`, {
      cause,
    });
    this.name = 'RedisUnreachableError';
  }
}

/**
 * Why the connection failed. A cluster client asks each seed node for the slot map and then
 * only says "Failed to refresh slots cache."; the last node's answer (a refused or closed
 * connection, a node without cluster support, a wrong password) is the one to act on.
 */
function reasonOf(cause: unknown): string {
  const nodeError =
    typeof cause === 'object' && cause !== null && 'lastNodeError' in cause
      ? cause.lastNodeError
      : undefined;
  if (nodeError instanceof Error) {
    return `no seed node gave the slot map; the last said: ${nodeError.message}`;
  }
  return cause instanceof Error ? cause.message : String(cause);
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
    throw new RedisUnreachableError(target, startError ?? error);
  } finally {
    client.off('error', recordStartError);
  }
  const report = onError ?? (() => undefined);
  client.on('error', report);
  // Later, a node lost in a failover is worth a warning even while the cluster still answers.
  client.on('node error', (error: Error, address: string) =>
    report(new Error(`cluster node ${address}: ${error.message}`, { cause: error })),
  );
  return client;
}

function createClient(target: RedisTarget, options: RedisOptions): RedisClient {
  if (!target.redisClusterNodes) return new Redis(target.redisUrl, options);
  // The cluster's nodes share REDIS_URL's credentials and TLS choice, when it carries them.
  const url = new URL(target.redisUrl);
  const tls = url.protocol === 'rediss:';
  const auth: RedisOptions = {
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(tls ? { tls: {} } : {}),
  };
  // Auto-pipelining is the cluster client's own option (it batches per node); everything
  // else, maxRetriesPerRequest included (BullMQ reads it there and needs it null), applies to
  // each node's connection.
  const { enableAutoPipelining, lazyConnect: _lazy, ...nodeOptions } = options;
  return new Cluster([...target.redisClusterNodes], {
    lazyConnect: true,
    ...(enableAutoPipelining !== undefined ? { enableAutoPipelining } : {}),
    // With TLS the certificates name hosts, not addresses: ioredis must not swap the nodes'
    // names for IPs (ioredis's advice for managed clusters such as ElastiCache).
    ...(tls ? { dnsLookup: (address, lookedUp) => lookedUp(null, address) } : {}),
    redisOptions: { ...nodeOptions, ...auth },
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
