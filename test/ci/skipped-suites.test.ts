import { describe, expect, it } from 'vitest';
import { summarizeReport, type TestReport } from '../../scripts/test-summary.js';
import { repoFile, runVitest } from '../support/vitest-child.js';

/** A file with one suite needing what no machine has, and a test that runs. */
const files = {
  'test/needs-a-thing.test.ts': `
import { expect, it } from 'vitest';
import { describeNeeding } from ${JSON.stringify(repoFile('test/support/requirements.ts'))};

const thing = { env: 'REQUIRE_THING', available: false, missing: 'no thing here (apt-get install thing)' };

describeNeeding(thing, 'the thing', () => {
  it('works', () => expect(1).toBe(1));
  it('works twice', () => expect(2).toBe(2));
});

it('runs anyway', () => expect(1).toBe(1));
`,
};

describe('a suite whose requirement is missing', () => {
  it('is skipped, and the CI summary names it with its reason and count', async () => {
    const run = await runVitest(files);
    expect(run.code, run.output).toBe(0);
    const runFiles = ['test/needs-a-thing.test.ts', 'test/never-ran.test.ts'];
    expect(summarizeReport(run.report as TestReport, run.root, runFiles)).toEqual([
      'tests: 1 passed, 0 failed, 2 skipped, 0 todo',
      'skipped: test/needs-a-thing.test.ts › the thing (skipped: no thing here (apt-get install thing)) (2 tests)',
      // A file the run should have had and that never reported (its worker died, say).
      'not reported: test/never-ran.test.ts',
    ]);
  });

  it('fails the run, saying what is missing, where REQUIRE_…=1 says it must be there', async () => {
    const run = await runVitest(files, { REQUIRE_THING: '1' });
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain('REQUIRE_THING=1, but no thing here (apt-get install thing)');
    expect(summarizeReport(run.report as TestReport, run.root)).toEqual([
      'tests: 1 passed, 1 failed, 0 skipped, 0 todo',
      'failed: test/needs-a-thing.test.ts',
    ]);
  });
});
