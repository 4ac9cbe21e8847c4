import { packageBuild } from '../../tsup.config.base.ts';

// `testing` is a second entry point (`@patchbay/core/testing`): the store contract suite, which imports
// vitest and so must never be reachable from the main entry.
export default packageBuild({
  esmOnlyDeps: ['ky'],
  entry: ['src/index.ts', 'src/testing/index.ts'],
});
