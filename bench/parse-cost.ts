/**
 * Benchmark 10: what a hostile source costs the main thread. Each input of the hostile corpus
 * (test/support/hostile-sources.ts, every one within `FETCH_MAX_BYTES`) is served locally and
 * read once through the built source reader (`dist/`, as the bot ships), with its parse
 * sandbox at the defaults and a configured source's item cap: page 1, and for a board the
 * first post's own page, as a poll does. Reports the longest the main thread's event loop was
 * blocked during the read (`monitorEventLoopDelay`) and what came of it. `npx tsx bench/parse-cost.ts` runs it alone (it builds first).
 */
import { execSync, spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as SandboxModule from '../adapters/sources/parse-sandbox.js';
import type * as UrlSourceModule from '../adapters/sources/url-source.js';
import type * as ErrorsModule from '../src/model/source-error.js';
import { USER_AGENT } from '../src/util/about.js';
import { HOSTILE_SOURCES, hostileUrl } from '../test/support/hostile-sources.js';
import { DEFAULTS } from './defaults.js';
import { median, round } from './stats.js';

export interface ParseCostRun {
  /**
   * The longest block of the same event loop over {@link IDLE_MS} with nothing to do: the
   * machine's own noise (other processes taking the cores), for scale.
   */
  idleMaxBlockMs: number;
  /** The built parse sandbox's defaults the reads ran with. */
  sandbox: { deadlineMs: number; heapMb: number };
  reads: HostileRead[];
}

export interface HostileRead {
  name: string;
  description: string;
  bytes: number;
  /** `read 500 items`, `refused TOO_COSTLY`. */
  outcome: string;
  /** Longest event-loop block of the main thread during the read, in ms. */
  maxBlockMs: number;
  /** The whole read, fetch and parse, in ms. */
  readMs: number;
}

/** How long the idle event loop is watched for the noise figure. */
const IDLE_MS = 3_000;

/** `monitorEventLoopDelay`'s sampling, in ms. */
const RESOLUTION_MS = 1;

/** What the section checks: the longest block of any input (median of its runs), in ms. */
export const PARSE_COST_AIMS = { maxBlockMs: 100 } as const;

const dist = (path: string) => new URL(`../dist/${path}`, import.meta.url).href;

/** One read of every hostile input. */
export async function runParseCost(): Promise<ParseCostRun> {
  const { ParseSandbox, DEFAULT_PARSE_DEADLINE_MS, DEFAULT_PARSE_LIMITS } = (await import(
    dist('adapters/sources/parse-sandbox.js')
  )) as typeof SandboxModule;
  const { UrlSource } = (await import(
    dist('adapters/sources/url-source.js')
  )) as typeof UrlSourceModule;
  // The built one: the reader throws it, and `instanceof` tells classes of two builds apart.
  const { SourceError } = (await import(dist('src/model/source-error.js'))) as typeof ErrorsModule;
  const parser = new ParseSandbox();
  const results: HostileRead[] = [];
  const server = await startHostileServer();
  try {
    // The worker starts with its first job; the reads measure parsing, not that.
    await parser.parseBoardPost({
      bytes: Buffer.from('<p>warm-up</p>'),
      contentType: 'text/html',
      url: 'https://example.org/',
    });
    for (const hostile of HOSTILE_SOURCES) {
      const source = new UrlSource(hostileUrl(server.url, hostile), {
        timeoutMs: 30_000,
        maxBytes: DEFAULTS.fetchMaxBytes,
        retries: 0,
        retryDelayMs: 0,
        userAgent: USER_AGENT,
        parser,
        maxItems: DEFAULTS.sourcePolicy.config.maxItems,
      });
      const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
      const started = performance.now();
      delay.enable();
      let outcome = '';
      try {
        const page = await source.readPage(1);
        if (page.status !== 'ok') throw new Error(`${hostile.name}: not modified`);
        const count = page.kind === 'feed' ? page.items.length : page.posts.length;
        outcome = `read ${count} ${page.kind === 'feed' ? 'item' : 'row'}${count === 1 ? '' : 's'}`;
        const first = page.posts[0];
        if (page.kind === 'board' && first) {
          await source.complete(first);
          outcome += ' and a post page';
        }
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        outcome = outcome ? `${outcome}, then refused ${error.code}` : `refused ${error.code}`;
      }
      delay.disable();
      results.push({
        name: hostile.name,
        description: hostile.description,
        bytes: Buffer.byteLength(hostile.body()),
        outcome,
        maxBlockMs: delay.max / 1e6,
        readMs: performance.now() - started,
      });
    }
  } finally {
    await parser.close();
    server.stop();
  }
  const idle = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  idle.enable();
  await sleep(IDLE_MS);
  idle.disable();
  return {
    idleMaxBlockMs: idle.max / 1e6,
    sandbox: {
      deadlineMs: DEFAULT_PARSE_DEADLINE_MS,
      heapMb: DEFAULT_PARSE_LIMITS.maxOldGenerationSizeMb ?? NaN,
    },
    reads: results,
  };
}

/** bench/hostile-server.ts in a process of its own; resolves with its base URL. */
async function startHostileServer(): Promise<{ url: string; stop(): void }> {
  const entry = fileURLToPath(new URL('./hostile-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(output.trim());
    });
    child.once('exit', (code) => reject(new Error(`the hostile server exited with ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

function size(bytes: number): string {
  return bytes >= 2 ** 20 ? `${round(bytes / 2 ** 20, 2)} MiB` : `${round(bytes / 1024, 1)} KiB`;
}

/** The benchmark's section of BENCHMARKS.md, from several runs of {@link runParseCost}. */
export function renderParseCost(runs: ParseCostRun[]): string {
  const rows = runs[0]!.reads.map((first, i) => {
    const same = runs.map((run) => run.reads[i]!);
    const blocks = same.map((x) => x.maxBlockMs);
    const outcomes = [...new Set(same.map((x) => x.outcome))].join(' / ');
    return `| \`${first.name}\` | ${first.description} | ${size(first.bytes)} | ${outcomes} | **${round(median(blocks), 1)} ms** | ${round(median(same.map((x) => x.readMs)), 0)} ms | ${blocks.map((b) => round(b, 1)).join(', ')} |`;
  });
  const medians = runs[0]!.reads.map((_, i) => median(runs.map((run) => run.reads[i]!.maxBlockMs)));
  const worst = Math.max(...medians);
  const idle = runs.map((run) => run.idleMaxBlockMs);
  const { deadlineMs, heapMb } = runs[0]!.sandbox;
  const aim = PARSE_COST_AIMS.maxBlockMs;
  return `## 10. Hostile sources: the main thread while one is read

Each input of the hostile corpus (\`test/support/hostile-sources.ts\`) served locally and read
once through the built source reader with its parse sandbox at the defaults
(\`SOURCE_PARSE_TIMEOUT\` ${deadlineMs / 1000} s, ${heapMb} MB of heap) and a configured source's ${DEFAULTS.sourcePolicy.config.maxItems} items: page 1, and
for a board its first post's page. "Longest block" is the longest the main thread's event loop
went unanswered during the read (\`monitorEventLoopDelay\`, ${RESOLUTION_MS} ms resolution), while the page was
fetched, decoded, handed to the worker and its result taken back.

| input | what | size | outcome | longest block | read | runs (block) |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

- Aim: no input blocks the event loop for more than ${aim} ms (median of the runs): ${worst <= aim ? 'met' : `**missed** (${round(worst, 1)} ms at worst)`}.
- For scale, the same measure on the same event loop with nothing to do for ${IDLE_MS / 1000} s, after the
  reads: **${round(median(idle), 1)} ms** (runs: ${idle.map((b) => round(b, 1)).join(', ')}), the share of the
  delays that is the machine's other processes taking its cores, not the bot.
- Outcomes that depend on the machine's speed (linear but heavy parses near the deadline) can
  differ between runs; each is listed.
`;
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  execSync('npm run build --silent', { stdio: 'inherit' });
  const runs: ParseCostRun[] = [];
  for (let i = 0; i < Number(process.env.BENCH_RUNS ?? 3); i++) {
    const run = await runParseCost();
    process.stdout.write(`idle event loop: longest block ${round(run.idleMaxBlockMs, 1)} ms\n`);
    for (const x of run.reads) {
      process.stdout.write(
        `${x.name}: ${x.outcome}, longest block ${round(x.maxBlockMs, 1)} ms, read ${round(x.readMs, 0)} ms\n`,
      );
    }
    runs.push(run);
  }
  process.stdout.write(`\n${renderParseCost(runs)}`);
}
