// A package's size on disk as a user's install would hold it: its published files and its dependencies', each
// package counted once. Works on pnpm's layout (dependencies linked beside a package) and on a workspace package
// (its `files` counted, as `npm pack` would publish them, not its sources and tests).
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/** Options of {@link installedSize}. */
export interface InstalledSizeOptions {
  /** Where a dependency the node_modules walk cannot find lives (a workspace package not linked yet). */
  fallback?: (name: string) => string | undefined;
  /** Package directories already counted. */
  seen?: Set<string>;
}

/** A package's files on disk and its dependencies' (each once), as installed. */
export function installedSize(
  packageDir: string,
  options: InstalledSizeOptions = {},
): { bytes: number; packages: string[]; byPackage: Record<string, number> } {
  const seen = options.seen ?? new Set<string>();
  const dir = realpathSync(packageDir);
  if (seen.has(dir)) return { bytes: 0, packages: [], byPackage: {} };
  seen.add(dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    files?: string[];
    dependencies?: Record<string, string>;
  };
  // An installed package holds what was published; a workspace package (not under node_modules) its sources too.
  const installed = dir.includes(`${sep}node_modules${sep}`);
  let bytes = installed ? sizeOf(dir) : publishedSize(dir, manifest.files);
  const packages = [`${manifest.name}@${manifest.version}`];
  const byPackage: Record<string, number> = { [packages[0]!]: bytes };
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    const found = resolvePackage(dir, dependency) ?? options.fallback?.(dependency);
    if (!found) throw new Error(`${manifest.name}: dependency ${dependency} not installed`);
    const sub = installedSize(found, { ...options, seen });
    bytes += sub.bytes;
    packages.push(...sub.packages);
    Object.assign(byPackage, sub.byPackage);
  }
  return { bytes, packages, byPackage };
}

// Node's lookup: `<dir>/node_modules/<name>` from the package up, skipping directories named node_modules (pnpm
// links a package's dependencies beside it: …/.pnpm/<pkg>/node_modules/<name>).
function resolvePackage(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    if (!dir.endsWith(`${sep}node_modules`)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

// npm publishes package.json, README and LICENSE whatever `files` says; without `files`, everything. A glob
// entry (`lib/**/*`) counts as the folder before its first wildcard.
function publishedSize(dir: string, files: string[] | undefined): number {
  if (!files) return sizeOf(dir);
  const always = readdirSync(dir).filter((entry) => /^(package\.json|readme|license|licence)/i.test(entry));
  const roots = files.map((entry) => entry.split(/[*?[{]/)[0]!.replace(/\/+$/, '')).filter(Boolean);
  return [...new Set([...always, ...roots])]
    .map((entry) => join(dir, entry))
    .filter((path) => existsSync(path))
    .reduce((sum, path) => sum + sizeOf(path), 0);
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path)
    .filter((entry) => entry !== 'node_modules')
    .reduce((sum, entry) => sum + sizeOf(join(path, entry)), 0);
}
