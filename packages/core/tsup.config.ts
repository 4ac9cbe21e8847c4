import { packageBuild } from '../../tsup.config.base.ts';

// One entry per subpath: the main entry (`@patchbay/core`), `oauth` and `store` (kept out of the main entry so a
// client's bundle holds neither), and `testing`, the contract suites, which import vitest and so must never be
// reachable from the others. The CJS build is split as the ESM one is, so that under require() too a class reached
// from several entries (IntegrationError) is one class and a name exported by two entries is one binding.
export default packageBuild({
  esmOnlyDeps: ['ky'],
  entry: ['src/index.ts', 'src/oauth/index.ts', 'src/store/index.ts', 'src/testing/index.ts'],
  splitCjs: true,
});
