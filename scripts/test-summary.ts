/**
 * Prints a vitest JSON report as `.ci/run`'s summary: the totals, skipped tests included,
 * and every skipped suite or test by file, with its title (which says why). Run it as
 * `npx tsx scripts/test-summary.ts report.json`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The parts of vitest's `json` reporter output this reads (Jest's format). */
export interface TestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: Array<{
    /** The test file's absolute path. */
    name: string;
    /** `failed` when any of its tests, hooks or the file itself failed. */
    status: string;
    assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string }>;
  }>;
}

const NOT_RUN = new Set(['skipped', 'pending', 'todo', 'disabled']);

/**
 * The summary's lines, file names relative to `root`: the totals, each failed file, and each
 * test not run, by outermost suite. A file that failed as a whole (a hook, an import) reports
 * its tests as skipped: they are listed as not run, not as skipped. A file of `testFiles`
 * missing from the report (its worker died) is listed as not reported.
 */
export function summarizeReport(
  report: TestReport,
  root: string,
  testFiles: readonly string[] = [],
): string[] {
  const lines = [
    `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ` +
      `${report.numPendingTests} skipped, ${report.numTodoTests} todo`,
  ];
  for (const file of report.testResults) {
    const name = relative(root, file.name);
    const failed = file.status === 'failed';
    if (failed) lines.push(`failed: ${name}`);
    // Per outermost suite (or the test itself, outside any): a skipped suite is one line.
    const notRun = new Map<string, number>();
    for (const test of file.assertionResults) {
      if (!NOT_RUN.has(test.status)) continue;
      const suite = test.ancestorTitles[0] ?? test.title;
      notRun.set(suite, (notRun.get(suite) ?? 0) + 1);
    }
    for (const [suite, count] of notRun) {
      const tests = count === 1 ? '1 test' : `${count} tests`;
      lines.push(`${failed ? 'not run' : 'skipped'}: ${name} › ${suite} (${tests})`);
    }
  }
  const reported = new Set(report.testResults.map((file) => relative(root, file.name)));
  for (const file of testFiles) if (!reported.has(file)) lines.push(`not reported: ${file}`);
  return lines;
}

/** The files vitest.config.ts includes (every `*.test.ts` under `test/`), relative to `root`. */
export function testFilesUnder(root: string): string[] {
  return readdirSync(join(root, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join('test', name))
    .sort();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, root = process.cwd()] = process.argv.slice(2);
  let report: TestReport | null = null;
  try {
    report = JSON.parse(readFileSync(file ?? '', 'utf8')) as TestReport;
  } catch {
    // No report: the run stopped before the tests (install, typecheck or lint failed).
  }
  console.log(
    report
      ? summarizeReport(report, root, testFilesUnder(root)).join('\n')
      : 'tests: not run (the run stopped before the tests; see above)',
  );
}
