import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: workspaceAliases },
  // Child processes (the concurrent-upsert and SIGKILL tests) take a few seconds each.
  test: { name: 'scheduler', include: ['src/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
});
