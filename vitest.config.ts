import { defineConfig } from 'vitest/config';

/** Where `.ci/run` asks for the run's results as JSON, to list what was skipped and why. */
const jsonReport = process.env.TEST_REPORT_JSON;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A `.only` left in a file runs that test alone and the rest of the file passes unseen:
    // fail the run instead, everywhere, not only where CI is set (`--allowOnly` to debug).
    allowOnly: false,
    ...(jsonReport ? { reporters: ['default', 'json'], outputFile: { json: jsonReport } } : {}),
  },
});
