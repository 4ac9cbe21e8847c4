import { packageBuild } from '../../tsup.config.base.ts';

export default packageBuild({ esmOnlyDeps: ['ky', 'p-retry', 'is-network-error'] });
