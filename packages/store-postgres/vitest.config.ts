import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'store-postgres',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Each file gets its own schemas, but child-process races and kills are timing-sensitive: one file at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
