// Module resolve hook for test child processes: `@patchbay/<package>` (and its `/testing` and `/msw` entries)
// resolve to the workspace's TypeScript sources, as vitest's aliases (vitest.shared.ts) do in the test process,
// so a child never runs a stale or absent build.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages');
const entries = { '': 'index.ts', '/testing': join('testing', 'index.ts'), '/msw': 'msw.ts' };

export async function resolve(specifier, context, nextResolve) {
  const match = /^@patchbay\/([a-z0-9-]+)(\/testing|\/msw)?$/.exec(specifier);
  const source = match && join(packagesDir, match[1], 'src', entries[match[2] ?? '']);
  if (source && existsSync(source)) return { url: pathToFileURL(source).href, shortCircuit: true };
  return nextResolve(specifier, context);
}
