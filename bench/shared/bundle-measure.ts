// One entry's bundle as the connector benchmarks compare them: ours for the browser platform as an edge function's
// build would (bench/bundle-size's helper), with the bytes ky, zod and @patchbay/core bring; an SDK's for Node
// (their main entries import Node builtins); and the table row and install summary the sections print.
import { join } from 'node:path';
import { bundleForBrowser } from '../bundle-size/bundle.ts';
import { bundleForNode } from './bundle-node.ts';
import { fmt, kb, mb } from './format.ts';

const BENCH = join(import.meta.dirname, '..');
const REPO = join(BENCH, '..');
const SHARES = { ky: /node_modules\/ky\//, zod: /node_modules\/zod\//, core: /packages\/core\// };

/** One entry's bundle. */
export interface BundleMeasure {
  entry: string;
  platform: 'browser' | 'node';
  min: number;
  gz: number;
  /** Minified bytes from ky, zod and @patchbay/core (ours only). */
  shares?: Record<string, number>;
  /** Node builtins a browser build reached (browser builds only). */
  nodeImports?: number;
}

/** `contents` (an ES module's source, resolved from bench/) bundled for the browser, labelled `entry`. */
export async function browserBundle(entry: string, contents: string): Promise<BundleMeasure> {
  const bundle = await bundleForBrowser(contents, BENCH, SHARES);
  return {
    entry,
    platform: 'browser',
    min: bundle.min,
    gz: bundle.gz,
    shares: bundle.shares,
    nodeImports: bundle.nodeImports.length,
  };
}

/** `contents` bundled for Node, Node builtins left out, labelled `entry`. */
export async function nodeBundle(entry: string, contents: string): Promise<BundleMeasure> {
  return { entry, platform: 'node', ...(await bundleForNode(contents, BENCH)) };
}

/** Where a workspace package not linked in a package's folder lives (installedSize's `fallback`). */
export const workspacePackage = (name: string) =>
  name.startsWith('@patchbay/') ? join(REPO, 'packages', name.slice('@patchbay/'.length)) : undefined;

/** An installed package's folder under bench/node_modules. */
export const benchModule = (name: string) => join(BENCH, 'node_modules', ...name.split('/'));

/** A row of the bundle table: entry, platform, minified, gzipped, ky / zod / core shares, Node builtins. */
export function bundleRow(m: BundleMeasure): string {
  return `| ${m.entry} | ${m.platform} | ${kb(m.min)} | **${kb(m.gz)}** | ${
    m.shares ? `${kb(m.shares.ky ?? 0)} / ${kb(m.shares.zod ?? 0)} / ${kb(m.shares.core ?? 0)}` : '—'
  } | ${m.nodeImports === undefined ? '— (Node build)' : m.nodeImports === 0 ? 'none' : fmt(m.nodeImports)} |`;
}

/** The three largest packages of an install, with their sizes. */
export function largestPackages(byPackage: Record<string, number>): string {
  return Object.entries(byPackage)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 3)
    .map(([name, bytes]) => `${name} ${mb(bytes)}`)
    .join(', ');
}
