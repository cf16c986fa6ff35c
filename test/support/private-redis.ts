import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { waitFor } from './wait.js';

/**
 * A redis-server of the test's own on a free port, for tests that stop or restart Redis:
 * the machine's Redis is shared with other tests and CI and is never touched.
 */
export class PrivateRedis {
  private process: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    /** With a directory, Redis keeps an fsync-always append-only file there and survives a kill. */
    private readonly dir: string | null,
  ) {}

  static async start(options: { persistentDir?: string } = {}): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), options.persistentDir ?? null);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const persistence = this.dir
      ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir]
      : ['--appendonly', 'no'];
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence],
      { stdio: 'ignore' },
    );
    const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => undefined); // refused connections are expected until it is up
    try {
      await waitFor(`redis-server on ${this.port}`, async () => {
        try {
          if (probe.status !== 'ready') await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          probe.disconnect();
          return false;
        }
      });
    } finally {
      probe.disconnect();
    }
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

/** A TCP port nothing listens on right now (the caller binds it soon after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
