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

it('counts only the published files of a package that lists them, and finds a dependency up the tree', () => {
  const workspace = join(root, 'workspace');
  const pkg = join(workspace, 'packages', 'lib');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  mkdirSync(join(pkg, 'src'), { recursive: true });
  const manifest = JSON.stringify({
    name: '@w/lib',
    version: '0.0.0',
    files: ['dist/**/*'],
    dependencies: { dep: '*' },
  });
  writeFileSync(join(pkg, 'package.json'), manifest);
  writeFileSync(join(pkg, 'README.md'), 'x'.repeat(10));
  writeFileSync(join(pkg, 'dist', 'index.js'), 'x'.repeat(300));
  writeFileSync(join(pkg, 'src', 'index.ts'), 'x'.repeat(9_999));
  const dep = pnpmPackage('dep', '1.0.0', { 'index.js': 50 });
  mkdirSync(join(workspace, 'node_modules'), { recursive: true });
  symlinkSync(dep.dir, join(workspace, 'node_modules', 'dep'));
  const size = installedSize(pkg);
  expect(size.packages).toEqual(['@w/lib@0.0.0', 'dep@1.0.0']);
  expect(size.byPackage).toEqual({
    '@w/lib@0.0.0': manifest.length + 10 + 300,
    'dep@1.0.0': 50 + dep.manifestBytes,
  });
  expect(size.bytes).toBe(manifest.length + 10 + 300 + 50 + dep.manifestBytes);
});

it('takes a dependency it cannot find from the fallback, or names it', () => {
  const pkg = join(root, 'lonely');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: 'lonely', version: '1.0.0', dependencies: { gone: '*' } }),
  );
  expect(() => installedSize(pkg)).toThrow('lonely: dependency gone not installed');
  const gone = pnpmPackage('gone', '2.0.0', { 'index.js': 7 });
  expect(installedSize(pkg, { fallback: () => gone.dir }).packages).toEqual(['lonely@1.0.0', 'gone@2.0.0']);
});

it('counts every file of an installed package, whatever its `files` globs say', () => {
  const dir = join(root, '.pnpm', 'sdk@1.0.0', 'node_modules', 'sdk');
  mkdirSync(join(dir, 'lib', 'deep'), { recursive: true });
  const manifest = JSON.stringify({ name: 'sdk', version: '1.0.0', files: ['lib/**/*'] });
  writeFileSync(join(dir, 'package.json'), manifest);
  writeFileSync(join(dir, 'lib', 'deep', 'a.js'), 'x'.repeat(400));
  expect(installedSize(dir).bytes).toBe(manifest.length + 400);
});
