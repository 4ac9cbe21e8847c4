// Module resolve hook for test child processes: `@patchbay/<package>` and its subpath entries (`/testing`,
// `/store`, `/msw` …) resolve to the workspace's TypeScript sources, as vitest's aliases (vitest.shared.ts) do in
// the test process, so a child never runs a stale or absent build.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages');

// An entry `/x` is built from src/x/index.ts (core's store, oauth, testing) or src/x.ts (emulators' msw).
const sources = (pkg, sub) =>
  sub === undefined
    ? [join(packagesDir, pkg, 'src', 'index.ts')]
    : [join(packagesDir, pkg, 'src', sub, 'index.ts'), join(packagesDir, pkg, 'src', `${sub}.ts`)];

export async function resolve(specifier, context, nextResolve) {
  const match = /^@patchbay\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?$/.exec(specifier);
  const source = match && sources(match[1], match[2]).find((path) => existsSync(path));
  if (source) return { url: pathToFileURL(source).href, shortCircuit: true };
  return nextResolve(specifier, context);
}
