// The tools every entry point needs (a Node new enough for `node:sqlite`, the pinned pnpm), provisioned from
// the npm registry into .tools/ when the machine lacks them. Shared by scripts/run.mjs (the README's commands)
// and .ci/run, so both decide the same way. Written for any Node with ES modules: it may run on an old one.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const toolsDir = join(root, '.tools');
export const toolsBin = join(toolsDir, 'bin');

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** The engines range, read from package.json so the check and the declared range cannot drift apart. */
export const nodeRange = manifest.engines.node;
/** The Node major installed when the running one is too old. */
export const provisionedNodeMajor = 24;
export const pnpmVersion = manifest.packageManager.replace(/^pnpm@/, '');

/**
 * Whether a Node version satisfies a range of `||`-joined `^x.y.z` and `>=x.y.z` clauses: the only forms
 * package.json uses here, kept small rather than pulling semver into a bootstrap script.
 */
export function satisfies(version, range = nodeRange) {
  const v = parse(version);
  return range.split('||').some((clause) => {
    const c = clause.trim();
    const caret = c.match(/^\^(\d+\.\d+\.\d+)$/);
    if (caret) {
      const min = parse(caret[1]);
      return v[0] === min[0] && compare(v, min) >= 0;
    }
    const atLeast = c.match(/^>=\s*(\d+\.\d+\.\d+)$/);
    if (atLeast) return compare(v, parse(atLeast[1])) >= 0;
    throw new Error(`unsupported engines clause: ${c}`);
  });
}

function parse(version) {
  return version
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
}

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

// The registry publishes Node's official binaries as node-<os>-<arch> packages (what the `node` package
// itself installs), so a machine with only npm can fetch one without another download channel.
function nodePackageName() {
  const os = process.platform === 'win32' ? 'win' : process.platform;
  return `node-${os}-${process.arch}`;
}

function provisionedNodePath() {
  const pkg = join(toolsDir, `node${provisionedNodeMajor}`, 'node_modules', nodePackageName());
  return join(pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
}

function versionOf(nodePath) {
  try {
    return execFileSync(nodePath, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function npmInstall(prefix, spec) {
  mkdirSync(prefix, { recursive: true });
  const result = spawnSync(
    process.platform === 'win32' ? 'npm.cmd' : 'npm',
    ['install', '--no-save', '--no-package-lock', '--silent', '--prefix', prefix, spec],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        npm_config_update_notifier: 'false',
        npm_config_fund: 'false',
        npm_config_audit: 'false',
      },
    },
  );
  if (result.status !== 0)
    throw new Error(`npm install ${spec} failed (exit ${result.status ?? result.signal})`);
}

/**
 * Returns the path of a Node that satisfies the engines range: the running one when it does, else Node
 * `provisionedNodeMajor` from .tools/, installed from the npm registry on first use.
 * @returns {{ path: string, version: string, provisioned: boolean }}
 */
export function ensureNode() {
  if (satisfies(process.version))
    return { path: process.execPath, version: process.version, provisioned: false };
  const path = provisionedNodePath();
  let version = existsSync(path) ? versionOf(path) : undefined;
  if (!version || !satisfies(version)) {
    npmInstall(join(toolsDir, `node${provisionedNodeMajor}`), `${nodePackageName()}@${provisionedNodeMajor}`);
    version = versionOf(path);
    if (!version || !satisfies(version)) throw new Error(`the installed Node at ${path} does not run`);
  }
  return { path, version, provisioned: true };
}

/**
 * Makes `pnpm` at the pinned version callable from .tools/bin (a global pnpm of that version is used as is),
 * installing it from the npm registry on first use. Returns the directory to put first on PATH.
 */
export function ensurePnpm(nodePath) {
  const shim = join(toolsBin, process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm');
  const cli = join(toolsDir, 'pnpm', 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
  const installedVersion = () => {
    try {
      return JSON.parse(readFileSync(join(dirname(cli), '..', 'package.json'), 'utf8')).version;
    } catch {
      return undefined;
    }
  };
  if (installedVersion() !== pnpmVersion) npmInstall(join(toolsDir, 'pnpm'), `pnpm@${pnpmVersion}`);
  mkdirSync(toolsBin, { recursive: true });
  // The shim names the Node to use, so pnpm never runs on a too-old system Node whatever PATH says.
  const body =
    process.platform === 'win32'
      ? `@"${nodePath}" "${cli}" %*\r\n`
      : `#!/bin/sh\nexec "${nodePath}" "${cli}" "$@"\n`;
  if (!existsSync(shim) || readFileSync(shim, 'utf8') !== body) writeFileSync(shim, body, { mode: 0o755 });
  return toolsBin;
}

/** The environment children run in: the chosen Node and the tools first on PATH. */
export function toolsEnv(nodePath, env = process.env) {
  const pathKey = Object.keys(env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH';
  const dirs = [dirname(nodePath), toolsBin, join(root, 'node_modules', '.bin')];
  return { ...env, [pathKey]: [...dirs, env[pathKey] ?? ''].join(delimiter), PATCHBAY_TOOLS_READY: '1' };
}

/** Whether `pnpm install` has run since the lockfile last changed. */
export function installIsCurrent() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lockfile = join(root, 'pnpm-lock.yaml');
  if (!existsSync(marker)) return false;
  // pnpm rewrites the marker on every install; compare contents of the lockfile copy it keeps instead of
  // mtimes, which a fresh clone sets arbitrarily.
  const installedLock = join(root, 'node_modules', '.pnpm', 'lock.yaml');
  if (!existsSync(installedLock)) return false;
  return readFileSync(installedLock, 'utf8') === readFileSync(lockfile, 'utf8');
}
