/**
 * Benchmark 7: start-to-healthy. The time from starting the bot until `GET /healthz` answers
 * 200, as an operator (or a container's health check) sees it: `npm start` as the README gives
 * it, the built entry point alone (what the container runs), and for comparison what
 * `npm start` used to do (compile with tsc, then start).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startHttpServer } from '../test/support/http-server.js';
import { TEST_REDIS_URL } from '../test/support/redis.js';
import { freePort } from './process-stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface StartUpRun {
  /** `npm start`: npm itself, then the compiled bot. */
  npmStartMs: number;
  /** `node dist/src/main.js`: the image's command. */
  nodeMs: number;
  /** `npm run build && node dist/src/main.js`: what `npm start` did before it was instant. */
  compileThenStartMs: number;
}

const WAYS: Record<keyof StartUpRun, string[]> = {
  npmStartMs: ['npm', 'start', '--silent'],
  nodeMs: [process.execPath, 'dist/src/main.js'],
  compileThenStartMs: ['sh', '-c', 'npm run build --silent && exec node dist/src/main.js'],
};

export async function runStartUp(): Promise<StartUpRun> {
  // A source that answers at once, so the first poll's outcome does not matter.
  const board = await startHttpServer((_req, res) => res.writeHead(304).end());
  try {
    const run = {} as StartUpRun;
    for (const [way, argv] of Object.entries(WAYS) as Array<[keyof StartUpRun, string[]]>) {
      run[way] = await timeToHealthy(argv, `${board.url}/post`);
    }
    return run;
  } finally {
    await board.close();
  }
}

async function timeToHealthy(argv: string[], feedUrl: string): Promise<number> {
  const port = await freePort();
  const prefix = `bench-start-${randomUUID().slice(0, 8)}`;
  const started = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: root,
    env: {
      ...process.env,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      FEED_URL: feedUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${argv.join(' ')} exited ${child.exitCode}`);
      const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (res) => res.ok,
        () => false,
      );
      if (healthy) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error(`${argv.join(' ')}: no health`);
      await sleep(10);
    }
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    await deletePrefix(prefix);
  }
}

async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  const stream = redis.scanStream({ match: `${prefix}:*`, count: 1000 });
  for await (const keys of stream as AsyncIterable<string[]>) {
    if (keys.length) await redis.unlink(...keys);
  }
  redis.disconnect();
}
