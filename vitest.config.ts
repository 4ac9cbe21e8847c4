import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace.ts';

const report = process.env.PATCHBAY_TEST_REPORT;

export default defineConfig({
  test: {
    projects,
    // CI reads the JSON report to print its one-line totals.
    reporters: report ? ['default', 'json'] : ['default'],
    outputFile: report ? { json: report } : undefined,
  },
});
