// The flags a test's child Node process needs to run TypeScript sources of the workspace: type stripping (on by
// default from Node 23.6; the flag keeps Node 22.13 working) and the hook resolving @patchbay/* to the sources.
import { fileURLToPath } from 'node:url';

export const workspaceExecArgv = Object.freeze([
  '--experimental-strip-types',
  '--disable-warning=ExperimentalWarning',
  '--import',
  fileURLToPath(new URL('./register-workspace-sources.mjs', import.meta.url)),
]);
