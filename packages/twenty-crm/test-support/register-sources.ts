// Loaded with `--import` into the worker processes of the reliability tests: resolves the workspace's
// `@patchbay/*` packages to their TypeScript sources, as vitest's aliases do, so no build is needed first.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const packagesDir = join(import.meta.dirname, '..', '..');

registerHooks({
  resolve(specifier, context, nextResolve) {
    const match = /^@patchbay\/([a-z0-9-]+)$/.exec(specifier);
    const source = match ? join(packagesDir, match[1]!, 'src', 'index.ts') : undefined;
    if (source && existsSync(source)) return { url: pathToFileURL(source).href, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
