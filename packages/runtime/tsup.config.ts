import { packageBuild } from '../../tsup.config.base.ts';

// The store packages are optional peers, imported only when a URL names them: tsup keeps peers external.
export default packageBuild();
