// Bundle size of the reading client: `createPostHogClient` bundled for the browser as an edge function's build
// would (bench/bundle-size's helper: esbuild, minified, every dependency in, gzip level 9), beside posthog-node,
// bundled for Node (its main entry is a Node SDK) and for the browser through its edge entry, and its installed
// size on disk. posthog-js-lite is not installed in this workspace, so it is left out.
import { join } from 'node:path';
import { type BrowserBundle, bundleForBrowser } from '../bundle-size/bundle.ts';
import { bundleForNode } from '../shared/bundle-node.ts';
import { installedSize } from '../shared/installed-size.ts';
import { fmt, met, type Phase } from './phase.ts';

const KB = 1024;
const TARGET = 20 * KB;
/** What `npm run check:edge` holds the same entry to (bench/bundle-size/check.ts). */
const EDGE_BUDGET = 47 * KB;
const BENCH = join(import.meta.dirname, '..');

interface Measured {
  name: string;
  platform: 'browser' | 'node';
  min: number;
  gz: number;
  /** Minified bytes from ky, zod and @patchbay/core (ours only). */
  shares?: Record<string, number>;
  nodeImports?: number;
}

const SHARES = {
  ky: /node_modules\/ky\//,
  zod: /node_modules\/zod\//,
  core: /packages\/core\//,
};

async function forBrowser(name: string, contents: string, ownShares = false): Promise<Measured> {
  const bundle: BrowserBundle = await bundleForBrowser(contents, BENCH, ownShares ? SHARES : {});
  return {
    name,
    platform: 'browser',
    min: bundle.min,
    gz: bundle.gz,
    ...(ownShares ? { shares: bundle.shares } : {}),
    nodeImports: bundle.nodeImports.length,
  };
}

// posthog-node's main entry imports Node builtins (node:fs, node:readline…), which a Node build leaves out.
async function forNode(name: string, contents: string): Promise<Measured> {
  return { name, platform: 'node', ...(await bundleForNode(contents, BENCH)) };
}

const kb = (bytes: number) => `${fmt(bytes / KB, 1)} KB`;

/** The reading client's bundle beside posthog-node's. */
export const bundlePhase: Phase = {
  name: 'bundle',
  async run() {
    const ours = await forBrowser(
      '@patchbay/posthog reading client: `export { createPostHogClient }`',
      "export { createPostHogClient } from '@patchbay/posthog';",
      true,
    );
    const http = await forBrowser(
      "@patchbay/core's HTTP client alone: `export { createHttpClient }`",
      "export { createHttpClient } from '@patchbay/core';",
      true,
    );
    const node = await forNode(
      'posthog-node: `export { PostHog }`',
      "export { PostHog } from 'posthog-node';",
    );
    const edge = await forBrowser(
      'posthog-node edge entry: `export { PostHog } from posthog-node/edge`',
      "export { PostHog } from 'posthog-node/edge';",
    );
    const installed = installedSize(join(BENCH, 'node_modules', 'posthog-node'));
    const version = installed.packages[0] ?? 'posthog-node';
    const own = ours.gz;
    const share = (measured: Measured, name: string) => kb(measured.shares?.[name] ?? 0);
    const rows = [ours, http, node, edge]
      .map(
        (m) =>
          `| ${m.name} | ${m.platform} | ${kb(m.min)} | **${kb(m.gz)}** | ${m.shares ? `${share(m, 'ky')} / ${share(m, 'zod')} / ${share(m, 'core')}` : '—'} | ${m.nodeImports === undefined ? '— (Node build)' : m.nodeImports === 0 ? 'none' : fmt(m.nodeImports)} |`,
      )
      .join('\n');
    const markdown = `### Bundle size of the reading client

esbuild, \`--bundle --minify --format=esm\`, every dependency included, gzip level 9 (\`bench/bundle-size/bundle.ts\`,
the helper of \`npm run bench:size\` and \`npm run check:edge\`). Ours is bundled for the browser platform, as an edge
function's build would. posthog-node's main entry is a Node SDK (it imports Node builtins), so it is bundled for the
Node platform, builtins left out; its edge entry (\`posthog-node/edge\`, for Workers and Vercel Edge) for the browser
platform. posthog-node is a capture SDK (it reads feature flags, not query results): the comparison is of what each
costs to load, not of what it does. posthog-js-lite is not installed here and is left out.

| entry | platform | minified | gzipped | of which ky / zod / @patchbay/core (minified) | Node builtins reached |
|---|---|---|---|---|---|
${rows}

${version} on disk with its dependencies (${installed.packages.slice(1).join(', ')}): **${kb(installed.bytes)}**
(every file of the packages as installed: both module formats, source maps, type declarations).

**Target not met: ${kb(own)} gzipped against ≤ 20 KB.** Why: the client is built on @patchbay/core's HTTP client,
which is ${kb(http.gz)} gzipped on its own (ky, zod/mini's core reached through core's schemas, core's validation,
redaction, retry and error classification, shared by every connector); PostHog's own code and zod/mini schemas, and
the parts of core the HTTP client alone leaves out (its rate limiter among them), add the other ${kb(own - http.gz)}. A 20 KB client would have to leave core's transport, which every
connector shares on purpose (one retry, limit and error story). **Proposed target: ≤ ${kb(EDGE_BUDGET)} gzipped**, the
budget \`npm run check:edge\` already holds this entry to (${own <= EDGE_BUDGET ? 'met' : 'not met'} at ${kb(own)}), so it cannot grow unnoticed; anything
lower is won by a size pass on core's HTTP client, for every connector at once, not by a PostHog-only transport.
For scale, posthog-node loads ${kb(node.gz)} (main entry) and ${kb(edge.gz)} (edge entry) gzipped.
`;
    const reading = `The reading client bundles to ${kb(own)} gzipped for the browser (target 20 KB: ${met(own <= TARGET)}; ${kb(http.gz)} of it is @patchbay/core's HTTP client, which every connector shares); posthog-node ${version.split('@').at(-1)} bundles to ${kb(node.gz)} for Node and ${kb(edge.gz)} through its edge entry, and takes ${kb(installed.bytes)} on disk.`;
    return {
      reading,
      rows: [
        {
          measure: 'reading client bundle, gzipped (createPostHogClient, browser)',
          patchbay: kb(own),
          posthogNode: `${kb(node.gz)} (Node build; edge entry ${kb(edge.gz)}; ${kb(installed.bytes)} on disk)`,
          target: '≤ 20 KB (posthog-node ≈ 65 KB)',
          verdict: met(own <= TARGET),
        },
      ],
      markdown,
    };
  },
};
