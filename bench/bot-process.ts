import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));

/** The built bot (`dist/src/main.js`, as `npm start` runs it) in its own process. */
export interface BotProcess {
  child: ChildProcess;
  /** Peak resident memory so far, in MB (Linux VmHWM). */
  peakRssMb(): number;
  stop(): Promise<void>;
}

export async function startBuiltBot(
  role: string,
  env: Record<string, string>,
): Promise<BotProcess> {
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, entry, '--role', role], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('esg-news-bot started')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`bot exited with ${code}: ${output.slice(-2000)}`)),
    );
  });
  // BENCH_LOG=file keeps the bot's log for a closer look; otherwise it is dropped.
  if (process.env.BENCH_LOG)
    child.stdout.pipe(createWriteStream(process.env.BENCH_LOG, { flags: 'a' }));
  else child.stdout.resume();
  return {
    child,
    peakRssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
