import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: workspaceAliases },
  // Child processes (crash and lease-race tests) take a few seconds each; the default 5 s is too tight.
  test: { name: 'store-sqlite', include: ['src/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
});
