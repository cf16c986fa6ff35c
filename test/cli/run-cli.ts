import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_REDIS_URL } from '../support/redis.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI entry (`src/cli.ts` through tsx, as `npm run cli` runs its build) with the
 * bot's configuration in `env` (Redis is the tests' unless it says otherwise), and `input` on
 * stdin.
 */
export function runCli(
  args: readonly string[],
  env: Record<string, string>,
  input?: string,
): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'silent', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A CLI that stops reading early (an input over its limit) closes the pipe: not a failure.
  child.stdin.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  child.stdin.end(input ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
