#!/usr/bin/env node
// Entry point of every root `npm run` command, the README's two included: on a machine with only Node and
// npm it provisions a Node new enough and the pinned pnpm into .tools/ (saying so in one line), installs
// dependencies when the lockfile changed, then runs the task's steps (scripts/tasks.mjs).
import { spawnSync } from 'node:child_process';
import { tasks } from './tasks.mjs';
import { ensureNode, ensurePnpm, installIsCurrent, nodeRange, root, toolsEnv } from './tools.mjs';

const [name, ...extra] = process.argv.slice(2);
const steps = tasks[name];
if (!steps) {
  console.error(`usage: node scripts/run.mjs <task> [args]\ntasks: ${Object.keys(tasks).join(', ')}`);
  process.exit(2);
}

let env = process.env;
// A task's step that runs another task finds the tools ready and skips the checks.
if (!env.PATCHBAY_TOOLS_READY) {
  let node;
  try {
    node = ensureNode();
    if (node.provisioned) {
      console.error(
        `Node ${process.version} is older than Patchbay supports (${nodeRange}): using Node ${node.version} from .tools/ (from the npm registry).`,
      );
    }
    ensurePnpm(node.path);
  } catch (error) {
    console.error(`Could not provision the tools: ${error.message}`);
    process.exit(1);
  }
  env = toolsEnv(node.path);
  if (!installIsCurrent()) run(['pnpm', 'install', '--frozen-lockfile']);
}

for (const [index, step] of steps.entries()) run(index === steps.length - 1 ? [...step, ...extra] : step);

function run([command, ...args]) {
  const result = spawnSync(command, args, {
    cwd: root,
    env,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.error) {
    console.error(`${command}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}
