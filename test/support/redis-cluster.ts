import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { ClusterNode } from '../../src/config/config.js';
import { freePort } from './private-redis.js';
import { waitFor } from './wait.js';

const run = promisify(execFile);

/** The programs a local cluster needs that are not on PATH (empty when it can start). */
export function missingClusterTools(): string[] {
  return ['redis-server', 'redis-cli'].filter(
    (program) => spawnSync(program, ['--version'], { stdio: 'ignore' }).error !== undefined,
  );
}

/**
 * A Redis Cluster of the test's own: masters on free ports (no replicas), their files in a
 * temporary directory that {@link stop} removes. The machine's Redis is never touched.
 */
export class LocalRedisCluster {
  /** Kills the nodes if the test process ends without {@link stop}: none outlives it. */
  private readonly killOnExit = () => {
    for (const child of this.processes) child.kill('SIGKILL');
  };

  private constructor(
    readonly nodes: readonly ClusterNode[],
    private readonly processes: readonly ChildProcess[],
    private readonly dir: string,
  ) {
    process.once('exit', this.killOnExit);
  }

  static async start(options: { masters?: number } = {}): Promise<LocalRedisCluster> {
    const masters = options.masters ?? 3;
    const dir = await mkdtemp(join(tmpdir(), 'esg-redis-cluster-'));
    const nodes: ClusterNode[] = [];
    const processes: ChildProcess[] = [];
    const cluster = new LocalRedisCluster(nodes, processes, dir);
    try {
      for (let i = 0; i < masters; i++) {
        const { node, child } = await startNode(dir);
        nodes.push(node);
        processes.push(child);
      }
      await createCluster(nodes);
      await Promise.all(nodes.map((node) => waitForClusterOk(node)));
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /**
   * The keys matching `pattern` on each node, read from the node itself (not through a
   * cluster client), keyed by `host:port`: where data really lives.
   */
  async keysByNode(pattern = '*'): Promise<Map<string, string[]>> {
    const byNode = new Map<string, string[]>();
    for (const node of this.nodes) {
      const keys = await withNode(node, async (redis) => {
        const found: string[] = [];
        let cursor = '0';
        do {
          const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          cursor = next;
          found.push(...batch);
        } while (cursor !== '0');
        return found;
      });
      byNode.set(`${node.host}:${node.port}`, keys);
    }
    return byNode;
  }

  /** Kills every node and deletes their files; safe to call twice. */
  async stop(): Promise<void> {
    process.off('exit', this.killOnExit);
    await Promise.all(this.processes.map(kill));
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * One empty cluster-enabled node. The bus port is chosen too: the default (port + 10000) may
 * be taken or past 65535. A port taken between choosing and binding makes the node exit; it
 * is started again on other ports.
 */
async function startNode(dir: string): Promise<{ node: ClusterNode; child: ChildProcess }> {
  for (let attempt = 1; ; attempt++) {
    const [port, busPort] = [await freePort(), await freePort()];
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes'],
        ...['--cluster-port', String(busPort), '--cluster-config-file', `nodes-${port}.conf`],
        ...['--save', '', '--appendonly', 'no', '--dir', dir],
      ],
      { stdio: 'ignore' },
    );
    const node = { host: '127.0.0.1', port };
    if (await answers(node, child)) return { node, child };
    await kill(child);
    if (attempt === 3) throw new Error(`redis-server exited at start on port ${port}`);
  }
}

/** True once the node answers PING; false if its process exits first. */
async function answers(node: ClusterNode, child: ChildProcess): Promise<boolean> {
  const state = await withNode(node, (redis) =>
    waitFor(`redis-server on ${node.port}`, async () => {
      if (child.exitCode !== null || child.signalCode !== null) return 'exited';
      try {
        if (redis.status !== 'ready') await redis.connect();
        return (await redis.ping()) === 'PONG' ? 'up' : null;
      } catch {
        redis.disconnect();
        return null;
      }
    }),
  );
  return state === 'up';
}

/** Gives every slot to the masters; `--cluster-yes` accepts the proposed layout. */
async function createCluster(nodes: readonly ClusterNode[]): Promise<void> {
  const addresses = nodes.map((node) => `${node.host}:${node.port}`);
  try {
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-yes']);
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`redis-cli --cluster create failed:\n${stdout}${stderr}`, { cause: error });
  }
}

/** Every node must see the whole cluster as up, not only the one a client asks first. */
async function waitForClusterOk(node: ClusterNode): Promise<void> {
  await withNode(node, async (redis) => {
    await redis.connect();
    await waitFor(`cluster_state:ok on ${node.port}`, async () => {
      const info = (await redis.call('CLUSTER', 'INFO')) as string;
      return info.includes('cluster_state:ok');
    });
  });
}

async function withNode<T>(node: ClusterNode, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(node.port, node.host, { lazyConnect: true, retryStrategy: () => null });
  redis.on('error', () => undefined); // refused connections are expected until it is up
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
