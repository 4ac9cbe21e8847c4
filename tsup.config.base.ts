import { defineConfig, type Options } from 'tsup';

/**
 * Shared build for every package: ESM keeps its dependencies external; the CJS build bundles the
 * ESM-only ones (ky, p-retry) so `require()` works on any Node without relying on require(esm).
 */
export function packageBuild(options: { esmOnlyDeps?: (string | RegExp)[]; entry?: string[] } = {}) {
  const entry = options.entry ?? ['src/index.ts'];
  const shared: Options = {
    entry,
    target: 'node22',
    platform: 'neutral',
    sourcemap: true,
    dts: true,
    treeshake: true,
    silent: true,
  };
  return defineConfig([
    { ...shared, format: ['esm'] },
    { ...shared, format: ['cjs'], noExternal: options.esmOnlyDeps ?? [] },
  ]);
}
