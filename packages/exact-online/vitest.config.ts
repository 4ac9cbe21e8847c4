import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: { name: 'exact-online', include: ['src/**/*.test.ts'], environment: 'node' },
});
