import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace.ts';

const report = process.env.PATCHBAY_TEST_REPORT;
// npm test runs the suite a second time on the oldest supported Node with dots (every test was listed once).
const reporter = process.env.PATCHBAY_TEST_REPORTER || 'default';

export default defineConfig({
  test: {
    projects,
    // CI reads the JSON report to print its one-line totals.
    reporters: report ? [reporter, 'json'] : [reporter],
    outputFile: report ? { json: report } : undefined,
  },
});
