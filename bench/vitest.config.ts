import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../vitest.shared.ts';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: { name: 'bench', include: ['*.test.ts', '*/**/*.test.ts'], exclude: ['**/node_modules/**'] },
});
