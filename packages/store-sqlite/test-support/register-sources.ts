// Loaded with `--import` into the child processes of the crash and lease-race tests: resolves
// `@patchbay/core` to its TypeScript sources, as vitest's aliases do, so no build is needed first.
import { registerHooks } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const coreSource = pathToFileURL(join(import.meta.dirname, '..', '..', 'core', 'src', 'index.ts')).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === '@patchbay/core') return { url: coreSource, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
