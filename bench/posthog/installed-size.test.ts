import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { installedSize } from './installed-size.ts';

const root = mkdtempSync(join(tmpdir(), 'installed-size-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// pnpm's layout: .pnpm/<name>@<version>/node_modules/<name> holds the files, its dependencies linked beside it.
function pnpmPackage(
  name: string,
  version: string,
  files: Record<string, number>,
  dependencies: string[] = [],
) {
  const modules = join(root, '.pnpm', `${name.replace('/', '+')}@${version}`, 'node_modules');
  const dir = join(modules, name);
  mkdirSync(dir, { recursive: true });
  const manifest = JSON.stringify({
    name,
    version,
    dependencies: Object.fromEntries(dependencies.map((dependency) => [dependency, '*'])),
  });
  writeFileSync(join(dir, 'package.json'), manifest);
  for (const [file, size] of Object.entries(files)) writeFileSync(join(dir, file), 'x'.repeat(size));
  return { dir, modules, manifestBytes: manifest.length };
}

it('adds a package and its dependencies, each once, through pnpm links', () => {
  const types = pnpmPackage('@scope/types', '1.0.0', { 'index.d.ts': 100 });
  const core = pnpmPackage('@scope/core', '1.0.0', { 'index.js': 1_000 }, ['@scope/types']);
  const main = pnpmPackage('main', '2.0.0', { 'index.js': 5_000, 'index.cjs': 4_000 }, ['@scope/core']);
  mkdirSync(join(core.modules, '@scope'), { recursive: true });
  symlinkSync(types.dir, join(core.modules, '@scope', 'types'));
  mkdirSync(join(main.modules, '@scope'), { recursive: true });
  symlinkSync(core.dir, join(main.modules, '@scope', 'core'));
  const size = installedSize(main.dir);
  expect(size.packages).toEqual(['main@2.0.0', '@scope/core@1.0.0', '@scope/types@1.0.0']);
  expect(size.bytes).toBe(
    9_000 + main.manifestBytes + 1_000 + core.manifestBytes + 100 + types.manifestBytes,
  );
});
