/**
 * Benchmark 7: start-to-healthy. The time from starting the bot until `GET /healthz` answers
 * 200, as an operator (or a container's health check) sees it: `npm start` as the README gives
 * it, the built entry point alone (what the container runs), and for comparison what
 * `npm start` used to do (compile with tsc, then start).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { startHttpServer } from '../test/support/http-server.js';
import { TEST_REDIS_URL } from '../test/support/redis.js';
import { THIS_BUILD, type Build } from './build.js';
import { freePort } from './process-stats.js';
import { listRuns, verdict } from './report-format.js';
import { median, round } from './stats.js';

/** What the section checks: `npm start`'s median time to healthy. */
export const START_UP_AIMS = { npmStartMs: 1_500 } as const;

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

/** One start of the bot each way, from this tree. */
export async function runStartUp(): Promise<StartUpRun> {
  const run = {} as StartUpRun;
  for (const way of Object.keys(WAYS) as Array<keyof StartUpRun>) {
    run[way] = await timeStartUp(way);
  }
  return run;
}

/** One start of `build`'s bot one way, in ms to healthy. */
export async function timeStartUp(
  way: keyof StartUpRun,
  build: Build = THIS_BUILD,
): Promise<number> {
  // A source that answers at once, so the first poll's outcome does not matter.
  const board = await startHttpServer((_req, res) => res.writeHead(304).end());
  try {
    return await timeToHealthy(WAYS[way], build.root, `${board.url}/post`);
  } finally {
    await board.close();
  }
}

async function timeToHealthy(argv: string[], root: string, feedUrl: string): Promise<number> {
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
    // A group of its own: `npm start` runs the bot as its child, which a SIGTERM to npm alone
    // left running (orphaned bots of earlier runs were found polling during later benchmarks).
    detached: true,
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
      process.kill(-child.pid!, 'SIGTERM');
    });
    await deletePrefix(prefix);
  }
}

/** The benchmark's section of BENCHMARKS.md, from runs of {@link runStartUp} each way. */
export function renderStartUp(runs: StartUpRun[]): string {
  const npmStart = median(runs.map((x) => x.npmStartMs));
  const nodeStart = median(runs.map((x) => x.nodeMs));
  const compileStart = median(runs.map((x) => x.compileThenStartMs));
  const aim = START_UP_AIMS.npmStartMs;
  return `## 7. Start-to-healthy

From starting the process until \`GET /healthz\` answers 200 (role \`all\`, no chat platform, a
source that answers 304), on the machine's Redis; ${runs.length} runs, each starting the bot the three ways.

| started with | median | runs |
| --- | --- | --- |
| \`npm start\` (the README's command) | **${round(npmStart, 0)} ms** | ${listRuns(
    runs.map((x) => x.npmStartMs),
    0,
  )} |
| \`node dist/src/main.js\` (the container's command) | ${round(nodeStart, 0)} ms | ${listRuns(
    runs.map((x) => x.nodeMs),
    0,
  )} |
| compile with tsc, then start (what \`npm start\` did before) | ${round(compileStart, 0)} ms | ${listRuns(
    runs.map((x) => x.compileThenStartMs),
    0,
  )} |

- Aim under ${aim / 1000} s median for \`npm start\`: ${verdict(npmStart < aim)}. Against compiling first: **×${round(compileStart / npmStart, 1)}** faster.
- \`npm ci\` builds (\`prepare\`), so \`npm start\` only runs compiled code; between the medians of
  \`npm start\` and \`node\` alone, npm adds ${round(npmStart - nodeStart, 0)} ms. The chat clients (Bolt, discord.js and
  their REST clients) are loaded only when configured.
`;
}

async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  const stream = redis.scanStream({ match: `${prefix}:*`, count: 1000 });
  for await (const keys of stream as AsyncIterable<string[]>) {
    if (keys.length) await redis.unlink(...keys);
  }
  redis.disconnect();
}
