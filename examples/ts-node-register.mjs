// Registers ts-node's ESM hooks the way current Node asks (`--import` a module that calls `register`),
// instead of the `--loader` flag, which Node answers with an ExperimentalWarning.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('ts-node/esm', pathToFileURL('./'));
