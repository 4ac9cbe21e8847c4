import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: workspaceAliases },
  // Test files share their worker's modules (no reload per file): they keep no global state, and it halves the time.
  test: { name: 'pipedrive', isolate: false, include: ['src/**/*.test.ts'], environment: 'node' },
});
