// createHubSpotSync, from the package's entry once it exports it; until then from its source (the sync has
// landed in packages/hubspot/src/sync.ts but the package's index does not export it yet). Node runs the source
// with type stripping; its imports (@patchbay/core, @patchbay/sync) resolve to their built packages.
export { createHubSpotSync } from '../../packages/hubspot/src/sync.ts';
