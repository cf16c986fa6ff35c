import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { entryOf, THIS_BUILD, type Build } from './build.js';
import { cpuSeconds, residentMb } from './process-stats.js';

/** A built bot (`dist/src/main.js`, as `npm start` runs it) in its own process. */
export interface BotProcess {
  child: ChildProcess;
  /** Resident memory now, in MB (Linux VmRSS). */
  rssMb(): number;
  /** Peak resident memory so far, in MB (Linux VmHWM). */
  peakRssMb(): number;
  /** CPU time used so far, user and system, in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Starts `build`'s bot (by default this tree's) and resolves once it logs that it started. */
export async function startBuiltBot(
  role: string,
  env: Record<string, string>,
  build: Build = THIS_BUILD,
): Promise<BotProcess> {
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, entryOf(build), '--role', role], {
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
  const pid = child.pid!;
  return {
    child,
    rssMb: () => residentMb(pid, 'VmRSS'),
    peakRssMb: () => residentMb(pid, 'VmHWM'),
    cpuSeconds: () => cpuSeconds(pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
