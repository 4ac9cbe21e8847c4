// Bundles an entry for the Node platform (esbuild, minified, every dependency in, Node builtins left out): the
// size of an SDK whose main entry imports Node builtins and so has no browser build to compare.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** Minified and gzipped (level 9) bytes of a Node bundle. */
export interface NodeBundle {
  min: number;
  gz: number;
}

/** Bundles `contents` (an ES module's source, resolved from `resolveDir`) for Node. */
export async function bundleForNode(contents: string, resolveDir: string): Promise<NodeBundle> {
  const out = await build({
    stdin: { contents, resolveDir },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
    outfile: 'bundle.js',
  });
  const bytes = out.outputFiles[0]!.contents;
  return { min: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
}
