import { packageBuild } from '../../tsup.config.base.ts';

// `testing` is a second entry point (`@patchbay/runtime/testing`): the admin handler's hostile-request suite,
// which imports vitest and so must never be reachable from the main entry. The store packages are optional
// peers, imported only when a URL names them: tsup keeps peers external.
export default packageBuild({ entry: ['src/index.ts', 'src/testing/index.ts'] });
