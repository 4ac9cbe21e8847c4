// Tests import workspace packages from their sources, so no build is needed between an edit and a test run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const packagesDir = join(import.meta.dirname, 'packages');

// Each entry of a package's `exports` (`.`, `./testing`, `./store`, `./msw` …) maps to the source its build
// starts from: `./dist/store/index.js` was built from `src/store/index.ts`, `./dist/msw.js` from `src/msw.ts`.
// Each pattern is anchored, so `@patchbay/core` never swallows `@patchbay/core/store`.
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
export const workspaceAliases = readdirSync(packagesDir).flatMap((dir) => {
  const manifestPath = join(packagesDir, dir, 'package.json');
  if (!existsSync(manifestPath)) return [];
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    name: string;
    exports?: Record<string, string | { import?: { default?: string } }>;
  };
  return Object.entries(manifest.exports ?? {}).flatMap(([subpath, target]) => {
    const built = typeof target === 'string' ? target : target.import?.default;
    if (!built?.startsWith('./dist/') || !built.endsWith('.js')) return [];
    const source = join(packagesDir, dir, 'src', built.slice('./dist/'.length).replace(/\.js$/, '.ts'));
    const name = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    return [{ find: new RegExp(`^${escapeRegExp(name)}$`), replacement: source }];
  });
});
