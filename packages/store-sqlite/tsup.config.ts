import { packageBuild } from '../../tsup.config.base.ts';

// node:sqlite exists only under its `node:` name: the prefix must survive the build.
export default packageBuild({ keepNodeProtocol: true });
