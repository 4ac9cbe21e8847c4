// Bundles an entry the way an edge function's build would (esbuild, browser platform, every dependency in,
// minified) and reports its size and every Node builtin it reaches. Shared by the size benchmark (run.ts)
// and the edge check (check.ts).
import { builtinModules } from 'node:module';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

/** A runtime builtin (Node's, or a `bun:`/`deno:` module) the bundle reached, and the module that imported it. */
export interface NodeImport {
  specifier: string;
  importer: string;
}

/** One entry bundled for the browser. */
export interface BrowserBundle {
  /** Minified bytes. */
  min: number;
  /** Minified, then gzipped at level 9. */
  gz: number;
  /** Minified bytes that came from input paths matching each pattern of `shares`. */
  shares: Record<string, number>;
  /** Empty when the bundle runs without Node: what a Worker or a browser would fail to load. */
  nodeImports: NodeImport[];
}

const builtins = new Set(builtinModules.map((name) => name.replace(/^node:/, '')));
// `bun:` and `deno:` modules are no more available in a browser or a Worker than Node's.
const isBuiltin = (specifier: string) =>
  /^(node|bun|deno):/.test(specifier) || builtins.has(specifier) || builtins.has(specifier.split('/')[0]!);

// Left to esbuild, a builtin fails the build at the first one with "could not resolve": recording them all
// (as externals, so the build completes) names every offender and its importer at once.
function recordNodeImports(found: NodeImport[]): Plugin {
  return {
    name: 'record-node-imports',
    setup(b) {
      b.onResolve({ filter: /^[a-z_:][\w:/.-]*$/ }, (args) => {
        if (!isBuiltin(args.path)) return undefined;
        found.push({ specifier: args.path, importer: args.importer || '<entry>' });
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * Bundles `contents` (an ES module's source, resolved from `resolveDir`) for the browser platform.
 * @example
 * const { gz, nodeImports } = await bundleForBrowser("export * from '@patchbay/core';", import.meta.dirname);
 */
export async function bundleForBrowser(
  contents: string,
  resolveDir: string,
  shares: Record<string, RegExp> = {},
): Promise<BrowserBundle> {
  const nodeImports: NodeImport[] = [];
  const out = await build({
    stdin: { contents, resolveDir },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: 'bundle.js',
    plugins: [recordNodeImports(nodeImports)],
  });
  const bytes = out.outputFiles[0]!.contents;
  const inputs = Object.entries(Object.values(out.metafile.outputs)[0]!.inputs);
  return {
    min: bytes.length,
    gz: gzipSync(bytes, { level: 9 }).length,
    shares: Object.fromEntries(
      Object.entries(shares).map(([name, pattern]) => [
        name,
        inputs.filter(([path]) => pattern.test(path)).reduce((sum, [, v]) => sum + v.bytesInOutput, 0),
      ]),
    ),
    nodeImports,
  };
}
