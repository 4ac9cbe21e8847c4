#!/usr/bin/env node
// The README's test command: builds, runs every check, then the tests, and ends with one line of totals,
// `N passed, N failed`. A check's output is shown only when it fails; a failed check counts as one failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInstalled, runtimes } from './runtime-smoke/runtimes.mjs';
import { root, toolsDir } from './tools.mjs';

const report = process.env.PATCHBAY_TEST_REPORT || join(toolsDir, 'vitest-report.json');
const totals = { passed: 0, failed: 0 };
const runStarted = performance.now();

/** Runs a command; `live` streams its output, otherwise it is kept and printed only on failure. */
function run([command, ...args], { live = false, env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: live ? ['ignore', 'pipe', 'inherit'] : ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    let output = '';
    const keep = (chunk) => {
      output += chunk;
      if (live) process.stdout.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (error) => resolve({ code: 1, output: `${command}: ${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function check(label, command) {
  const started = performance.now();
  const { code, output } = await run(command);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (code === 0) {
    console.log(`✓ ${label} (${seconds} s)`);
    return true;
  }
  console.log(`✗ ${label} failed (exit ${code}, ${seconds} s):\n${output.trimEnd()}\n`);
  totals.failed += 1;
  return false;
}

/** Runs a suite that ends with its own `N passed, N failed` line, shown live, and adds it to the totals. */
async function counted(label, command) {
  console.log(`\n${label}`);
  const { code, output } = await run(command, { live: true });
  const match = output.match(/(\d+) passed, (\d+) failed[^\n]*\s*$/);
  if (match) {
    totals.passed += Number(match[1]);
    totals.failed += Number(match[2]);
  }
  if (code !== 0 && (!match || Number(match[2]) === 0)) totals.failed += 1;
}

const built = await check('build', ['node', 'scripts/build.mjs']);
await check('typecheck', ['pnpm', '-r', 'run', 'typecheck']);
await check('lint (biome)', ['biome', 'check', '.']);
await check('changesets', ['changeset', 'status']);
if (built)
  await check('package checks (publint, attw, CJS/ESM smoke)', [
    'pnpm',
    '-r',
    '--filter',
    './packages/**',
    'run',
    'check:package',
  ]);

const stripTypes = ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'];
if (built)
  await counted('edge bundles (browser platform, no Node builtins, size budgets)', [
    'node',
    ...stripTypes,
    'bench/bundle-size/check.ts',
  ]);

/** Runs the whole vitest suite under `node` and adds its counts to the totals. */
async function vitest(node, { reportFile, reporter, exclude = [], projects = [] }) {
  rmSync(reportFile, { force: true });
  const cli = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const filters = [
    ...exclude.flatMap((glob) => ['--exclude', glob]),
    ...projects.flatMap((name) => ['--project', name]),
  ];
  const tests = await run([node, cli, 'run', ...filters], {
    live: true,
    env: { PATCHBAY_TEST_REPORT: reportFile, PATCHBAY_TEST_REPORTER: reporter ?? '' },
  });
  const failedBefore = totals.failed;
  if (existsSync(reportFile)) {
    const r = JSON.parse(readFileSync(reportFile, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  }
  // A run that failed without a failing test (a crash, an unhandled error) still counts.
  if (tests.code !== 0 && totals.failed === failedBefore) totals.failed += 1;
}

console.log(`\nunit and integration tests (vitest, Node ${process.version})`);
await vitest(process.execPath, { reportFile: report });

// The tests again on the oldest Node the packages support (the engines' lower bound), so an API newer than it
// fails here rather than for a user; dots for passing tests, since every test was already listed above. Only the
// projects whose code reaches past what every runtime has: core (fetch, Web Crypto, streams, timers under every
// client), the emulators (node:http, node:net, node:zlib), the stores (node:sqlite, PostgreSQL, Redis), the
// scheduler and runtime (queues, workers, child processes), the sync engine, the examples and the scripts. The
// connectors' packages are left to the first pass: they import no Node module (check:edge bundles them for the
// browser, and the runtime smoke runs one on this Node, Bun and Deno) and typecheck against ES2024; what this pass
// found in them before was test harness (a child process's loader hook, which the sync tests here still exercise)
// and timing, not their code. So are the sync contracts and Exact Online's 8-process refresh race (long wall-clock
// scenarios of engine, client and store code the tests here already run on this Node).
const oldest = runtimes(root)[0];
const install = ensureInstalled(oldest);
console.log(`\nthe same tests on the oldest supported Node (${oldest.name})`);
if (install.ok)
  await vitest(oldest.bin, {
    reportFile: `${report}.oldest.json`,
    reporter: 'dot',
    exclude: ['**/sync.contract.test.ts', '**/refresh-race.test.ts'],
    projects: [
      'core',
      'emulators',
      'store-sqlite',
      'store-postgres',
      'store-redis',
      'scheduler',
      'runtime',
      'sync',
      'examples',
      'scripts',
    ],
  });
else {
  console.log(`✗ could not install ${oldest.name}: ${install.reason}`);
  totals.failed += 1;
}

if (built)
  await counted('runtime smoke (Node oldest and 24, Bun, Deno)', ['node', 'scripts/runtime-smoke/run.mjs']);

const line = `${totals.passed} passed, ${totals.failed} failed`;
console.log(`\nnpm test took ${Math.round((performance.now() - runStarted) / 1000)} s`);
console.log(line);
// .ci/run reads it back to tell a finished run from one that stopped before its totals.
mkdirSync(toolsDir, { recursive: true });
writeFileSync(join(toolsDir, 'test-totals'), `${line}\n`);
process.exit(totals.failed === 0 ? 0 : 1);
