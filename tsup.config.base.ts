import { defineConfig, type Options } from 'tsup';

/**
 * Shared build for every package: ESM keeps its dependencies external; the CJS build bundles the
 * ESM-only ones (ky) so `require()` works on any Node without relying on require(esm).
 */
export function packageBuild(
  options: {
    esmOnlyDeps?: (string | RegExp)[];
    entry?: string[];
    /** Keep `node:` in imports: needed for built-ins that exist only under that name, like `node:sqlite`. */
    keepNodeProtocol?: boolean;
    /**
     * Share the modules of several entries between them in the CJS build too (ESM always does): without it each
     * CJS entry carries its own copy, so a class or a singleton exported by two entries would be two bindings.
     */
    splitCjs?: boolean;
  } = {},
) {
  const entry = options.entry ?? ['src/index.ts'];
  const shared: Options = {
    entry,
    removeNodeProtocol: !options.keepNodeProtocol,
    // Without tsup's protocol plugin, esbuild on the neutral platform must be told built-ins are external.
    ...(options.keepNodeProtocol && { external: [/^node:/] }),
    target: 'node22',
    platform: 'neutral',
    sourcemap: true,
    dts: true,
    treeshake: true,
    silent: true,
  };
  return defineConfig([
    { ...shared, format: ['esm'] },
    {
      ...shared,
      format: ['cjs'],
      noExternal: options.esmOnlyDeps ?? [],
      ...(options.splitCjs && { splitting: true }),
    },
  ]);
}
