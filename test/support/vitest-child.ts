import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

export interface VitestRun {
  /** The child's exit code: 0 when every test passed or was skipped. */
  code: number | null;
  /** Its output (stdout and stderr), without colours. */
  output: string;
  /** The JSON report it wrote (vitest's `json` reporter, as `.ci/run` asks for it). */
  report: unknown;
  /** Where the files ran: the root the report's file names start with. */
  root: string;
}

/**
 * Runs `vitest run` with this repository's `vitest.config.ts` in a child process, on test
 * files of its own (`{ 'test/a.test.ts': source }`) in a temporary directory, and removes the
 * directory after. The child gets none of this run's CI settings: only `env`.
 */
export async function runVitest(
  files: Record<string, string>,
  env: Record<string, string> = {},
): Promise<VitestRun> {
  const root = await mkdtemp(join(tmpdir(), 'esg-vitest-'));
  try {
    // The files import `vitest` and the repository's test support as this repository does.
    await symlink(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
    for (const [name, source] of Object.entries(files)) {
      await mkdir(dirname(join(root, name)), { recursive: true });
      await writeFile(join(root, name), source);
    }
    const reportFile = join(root, 'report.json');
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !/^(CI|REQUIRE_.*|TEST_REPORT_JSON|VITEST.*)$/.test(key),
      ),
    );
    const child = spawn(
      process.execPath,
      [
        join(repo, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        join(repo, 'vitest.config.ts'),
      ],
      {
        cwd: root,
        env: { ...inherited, NO_COLOR: '1', TEST_REPORT_JSON: reportFile, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    const report: unknown = JSON.parse(await readFile(reportFile, 'utf8').catch(() => 'null'));
    return { code, output, report, root };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** An absolute import specifier of a file of this repository, for a child's test files. */
export function repoFile(path: string): string {
  return join(repo, path);
}
