// Tests import workspace packages from their sources, so no build is needed between an edit and a test run.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const packagesDir = join(import.meta.dirname, 'packages');

export const workspaceAliases = readdirSync(packagesDir).flatMap((dir) => {
  const src = join(packagesDir, dir, 'src');
  return [
    { find: new RegExp(`^@patchbay/${dir}/msw$`), replacement: join(src, 'msw.ts') },
    { find: new RegExp(`^@patchbay/${dir}/testing$`), replacement: join(src, 'testing', 'index.ts') },
    { find: new RegExp(`^@patchbay/${dir}$`), replacement: join(src, 'index.ts') },
  ];
});
