import { packageBuild } from '../../tsup.config.base.ts';

export default packageBuild({ entry: ['src/index.ts', 'src/msw.ts'] });
