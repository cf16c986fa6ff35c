import { describe, expect, it } from 'vitest';
import { runVitest } from '../support/vitest-child.js';

describe('a stray .only', () => {
  it('fails the run, with or without CI set', async () => {
    const run = await runVitest({
      'test/debugging.test.ts': [
        "import { expect, it } from 'vitest';",
        "it.only('the one being debugged', () => expect(1).toBe(1));",
        "it('every other test', () => expect(1).toBe(1));",
      ].join('\n'),
    });
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain('Unexpected .only modifier');
  });
});
