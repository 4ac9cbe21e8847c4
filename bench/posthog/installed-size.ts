// A package's size on disk as pnpm installed it: its files and its dependencies', each package counted once.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A package's files on disk and its dependencies' (each once), as pnpm installed them. */
export function installedSize(
  packageDir: string,
  seen = new Set<string>(),
): { bytes: number; packages: string[] } {
  const dir = realpathSync(packageDir);
  if (seen.has(dir)) return { bytes: 0, packages: [] };
  seen.add(dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    dependencies?: Record<string, string>;
  };
  let bytes = sizeOf(dir);
  const packages = [`${manifest.name}@${manifest.version}`];
  // pnpm links a package's dependencies beside it: …/node_modules/<name> next to …/node_modules/<this>.
  const modules = join(dir, ...manifest.name.split('/').map(() => '..'));
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    const sub = installedSize(join(modules, dependency), seen);
    bytes += sub.bytes;
    packages.push(...sub.packages);
  }
  return { bytes, packages };
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path)
    .filter((entry) => entry !== 'node_modules')
    .reduce((sum, entry) => sum + sizeOf(join(path, entry)), 0);
}
