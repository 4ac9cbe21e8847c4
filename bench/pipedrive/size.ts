// Bundle and install sizes: `createPipedriveClient` bundled for the browser as an edge function's build would, and
// the official SDK's classes the loop uses (`pipedrive/v2`: Configuration, PersonsApi, OrganizationsApi) both for
// the browser and for Node (where axios brings its http adapter), each with every dependency in, minified, gzip
// level 9; and each package on disk with its dependencies, as a user's install holds them.
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
  /** The sync front (createPipedriveSync, with @patchbay/sync's engine), for scale: not the target's entry. */
  sync: BundleMeasure;
  http: BundleMeasure;
  sdk: BundleMeasure;
  /** The same SDK classes for the browser (axios's fetch and XHR adapters): a like-for-like with ours. */
  sdkBrowser: BundleMeasure;
  installed: {
    patchbay: ReturnType<typeof installedSize>;
    sdk: ReturnType<typeof installedSize>;
  };
}

/** Bundles both clients and sizes both installs. */
export async function measureSizes(): Promise<SizeMeasure> {
  return {
    client: await browserBundle(
      '@patchbay/pipedrive: `export { createPipedriveClient }`',
      "export { createPipedriveClient } from '@patchbay/pipedrive';",
    ),
    sync: await browserBundle(
      '@patchbay/pipedrive: `export { createPipedriveSync }` (the sync, engine included)',
      "export { createPipedriveSync } from '@patchbay/pipedrive';",
    ),
    http: await browserBundle(
      "@patchbay/core's HTTP client alone: `export { createHttpClient }`",
      "export { createHttpClient } from '@patchbay/core';",
    ),
    sdk: await nodeBundle(
      'pipedrive/v2: `export { Configuration, OrganizationsApi, PersonsApi }`',
      "export { Configuration, OrganizationsApi, PersonsApi } from 'pipedrive/v2';",
    ),
    sdkBrowser: withoutShares(
      await browserBundle(
        'pipedrive/v2: `export { Configuration, OrganizationsApi, PersonsApi }`',
        "export { Configuration, OrganizationsApi, PersonsApi } from 'pipedrive/v2';",
      ),
    ),
    installed: {
      // A workspace package's own dependencies are linked in its folder; one not linked yet comes from the workspace.
      patchbay: installedSize(benchModule('@patchbay/pipedrive'), { fallback: workspacePackage }),
      sdk: installedSize(benchModule('pipedrive')),
    },
  };
}

// The ky / zod / core shares are ours to show; the SDK brings none of them.
function withoutShares({ shares: _shares, ...bundle }: BundleMeasure): BundleMeasure {
  return bundle;
}
