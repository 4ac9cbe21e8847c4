import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'store-redis',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Each test has its own key prefix, but the multi-process tests are timing-sensitive: one file at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
