// Starts the TypeScript scripts of test-support/ in child Node processes, resolving @patchbay/* from source.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { join } from 'node:path';
import { workspaceExecArgv } from '../../../test-support/child-exec-argv.mjs';

const here = import.meta.dirname;
const execArgv = [...workspaceExecArgv];

/** Spawns `script` with piped stdout and stderr. */
export const spawnScript = (script: string, args: string[]): ChildProcess =>
  spawn(process.execPath, [...execArgv, join(here, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

/** Forks `script` with an IPC channel. */
export const forkScript = (script: string, args: string[]): ChildProcess =>
  fork(join(here, script), args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
