// Bundle and install sizes: `createHubSpotClient` bundled for the browser as an edge function's build would
// (bench/bundle-size's helper), @hubspot/api-client's `Client` for Node (it imports Node builtins: http, https,
// form-data…), each with every dependency in, minified, gzip level 9; and each package on disk with its
// dependencies, as a user's install holds them.
import { join } from 'node:path';
import { bundleForBrowser } from '../bundle-size/bundle.ts';
import { bundleForNode } from '../shared/bundle-node.ts';
import { installedSize } from '../shared/installed-size.ts';

const BENCH = join(import.meta.dirname, '..');
const REPO = join(BENCH, '..');

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

/** What the size part measures. */
export interface SizeMeasure {
  client: BundleMeasure;
  /** The sync front (createHubSpotSync, with @patchbay/sync's engine), for scale: not the target's entry. */
  sync: BundleMeasure;
  http: BundleMeasure;
  sdk: BundleMeasure;
  installed: {
    patchbay: ReturnType<typeof installedSize>;
    sdk: ReturnType<typeof installedSize>;
  };
}

const SHARES = { ky: /node_modules\/ky\//, zod: /node_modules\/zod\//, core: /packages\/core\// };

async function browser(entry: string, contents: string): Promise<BundleMeasure> {
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

/** Bundles both clients and sizes both installs. */
export async function measureSizes(): Promise<SizeMeasure> {
  const client = await browser(
    '@patchbay/hubspot: `export { createHubSpotClient }`',
    "export { createHubSpotClient } from '@patchbay/hubspot';",
  );
  const sync = await browser(
    '@patchbay/hubspot: `export { createHubSpotSync }` (the sync, engine included)',
    "export { createHubSpotSync } from '@patchbay/hubspot';",
  );
  const http = await browser(
    "@patchbay/core's HTTP client alone: `export { createHttpClient }`",
    "export { createHttpClient } from '@patchbay/core';",
  );
  const sdk = {
    entry: '@hubspot/api-client: `export { Client }`',
    platform: 'node' as const,
    ...(await bundleForNode("export { Client } from '@hubspot/api-client';", BENCH)),
  };
  // A workspace package's own dependencies are linked in its folder; one not linked yet comes from the workspace.
  const fallback = (name: string) =>
    name.startsWith('@patchbay/') ? join(REPO, 'packages', name.slice('@patchbay/'.length)) : undefined;
  return {
    client,
    sync,
    http,
    sdk,
    installed: {
      patchbay: installedSize(join(BENCH, 'node_modules', '@patchbay', 'hubspot'), { fallback }),
      sdk: installedSize(join(BENCH, 'node_modules', '@hubspot', 'api-client')),
    },
  };
}
