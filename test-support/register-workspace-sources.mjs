// Loaded with `--import` into the child processes tests start: installs workspace-sources-hooks.mjs. `register`
// (Node ≥ 20.6) rather than the synchronous `registerHooks`, which only Node ≥ 22.15 has: the oldest supported
// Node (22.13) runs these tests too.
import { register } from 'node:module';

register('./workspace-sources-hooks.mjs', import.meta.url);
