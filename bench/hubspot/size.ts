// Bundle and install sizes: `createHubSpotClient` bundled for the browser as an edge function's build would
// (bench/bundle-size's helper), @hubspot/api-client's `Client` for Node (it imports Node builtins: http, https,
// form-data…), each with every dependency in, minified, gzip level 9; and each package on disk with its
// dependencies, as a user's install holds them.
import {
  type BundleMeasure,
  benchModule,
  browserBundle,
  nodeBundle,
  workspacePackage,
} from '../shared/bundle-measure.ts';
import { installedSize } from '../shared/installed-size.ts';

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

/** Bundles both clients and sizes both installs. */
export async function measureSizes(): Promise<SizeMeasure> {
  return {
    client: await browserBundle(
      '@patchbay/hubspot: `export { createHubSpotClient }`',
      "export { createHubSpotClient } from '@patchbay/hubspot';",
    ),
    sync: await browserBundle(
      '@patchbay/hubspot: `export { createHubSpotSync }` (the sync, engine included)',
      "export { createHubSpotSync } from '@patchbay/hubspot';",
    ),
    http: await browserBundle(
      "@patchbay/core's HTTP client alone: `export { createHttpClient }`",
      "export { createHttpClient } from '@patchbay/core';",
    ),
    sdk: await nodeBundle(
      '@hubspot/api-client: `export { Client }`',
      "export { Client } from '@hubspot/api-client';",
    ),
    installed: {
      // A workspace package's own dependencies are linked in its folder; one not linked yet comes from the workspace.
      patchbay: installedSize(benchModule('@patchbay/hubspot'), { fallback: workspacePackage }),
      sdk: installedSize(benchModule('@hubspot/api-client')),
    },
  };
}
