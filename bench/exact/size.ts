// Bundle and install sizes: @patchbay/exact-online's client entry bundled for the browser as an edge function's build
// would (the entry `npm run check:edge` budgets: createExactClient and exactFilter), the entry this bench pulls with
// (createExactClient and exactChanges), and the parts of @patchbay/core under them (its HTTP client, its OAuth2 token
// manager), each with every dependency in, minified, gzip level 9; and the package on disk with its dependencies.
// No SDK to set beside it: the hand-written loop imports nothing.
import {
  type BundleMeasure,
  benchModule,
  browserBundle,
  workspacePackage,
} from '../shared/bundle-measure.ts';
import { installedSize } from '../shared/installed-size.ts';

/** What the size part measures. */
export interface SizeMeasure {
  client: BundleMeasure;
  /** The client with exactChanges, the pull this bench measures. */
  pull: BundleMeasure;
  http: BundleMeasure;
  /** Core's HTTP client and its OAuth2 token manager together: the core part of the client. */
  core: BundleMeasure;
  installed: ReturnType<typeof installedSize>;
}

/** Bundles the entries and sizes the install. */
export async function measureSizes(): Promise<SizeMeasure> {
  return {
    client: await browserBundle(
      '@patchbay/exact-online: `export { createExactClient, exactFilter }`',
      "export { createExactClient, exactFilter } from '@patchbay/exact-online';",
    ),
    pull: await browserBundle(
      '@patchbay/exact-online: `export { createExactClient, exactChanges }` (the pull)',
      "export { createExactClient, exactChanges } from '@patchbay/exact-online';",
    ),
    http: await browserBundle(
      "@patchbay/core's HTTP client alone: `export { createHttpClient }`",
      "export { createHttpClient } from '@patchbay/core';",
    ),
    core: await browserBundle(
      "@patchbay/core's HTTP client and OAuth2 token manager: `createHttpClient`, `createOAuth2TokenManager`",
      "export { createHttpClient } from '@patchbay/core'; export { createOAuth2TokenManager } from '@patchbay/core/oauth';",
    ),
    // A workspace package's own dependencies are linked in its folder; one not linked yet comes from the workspace.
    installed: installedSize(benchModule('@patchbay/exact-online'), { fallback: workspacePackage }),
  };
}
