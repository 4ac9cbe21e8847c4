#!/usr/bin/env node
// The runtime smoke: installs the pinned runtimes when missing (runtimes.mjs), runs scenario.mjs on each
// against the built packages, prints one line per runtime and a closing `N passed, N failed` counting the
// scenario's steps. Exits 1 on any failure. Needs the packages built (`pnpm run build`).
// Usage: node scripts/runtime-smoke/run.mjs [name…]   (e.g. `bun deno`: only the runtimes whose name starts so)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled, runtimes } from './runtimes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const scenario = join(here, 'scenario.mjs');
const STEPS = ['emulator', 'client', 'sync', 'resync'];
// A warm run takes about a second per runtime; this only bounds a hang.
const RUNTIME_TIMEOUT_MS = 30_000;

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

const built = ['core', 'emulators', 'store-sqlite', 'twenty-crm'].filter(
  (name) => !existsSync(join(root, 'packages', name, 'dist', 'index.js')),
);
if (built.length > 0) {
  console.error(`not built: ${built.map((n) => `@patchbay/${n}`).join(', ')}; run \`pnpm run build\` first`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const wanted = process.argv.slice(2);
const selected = runtimes(root).filter(
  (runtime) => wanted.length === 0 || wanted.some((name) => runtime.name.startsWith(name)),
);
if (selected.length === 0) {
  console.error(`no runtime matches ${wanted.join(', ')}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

/** Runs the scenario on `runtime`; answers its steps, or failed ones saying why it gave none. */
function runScenario(runtime) {
  return new Promise((resolve) => {
    const child = spawn(runtime.bin, runtime.args(scenario), {
      cwd: here,
      env: { ...process.env, ...runtime.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), RUNTIME_TIMEOUT_MS);
    const finish = (why) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('SMOKE-RESULT '));
      if (line) {
        try {
          resolve(JSON.parse(line.slice('SMOKE-RESULT '.length)).steps);
          return;
        } catch {
          // fall through: reported as a failure below
        }
      }
      // The output's tail once, under the first step: the others failed for the same reason.
      const tail = `${stderr}\n${stdout}`.trim().split('\n').slice(-6).join('\n         ');
      resolve(
        STEPS.map((name, i) => ({
          name,
          status: 'fail',
          detail: i === 0 ? `no result (${why})\n         ${tail}` : 'no result',
        })),
      );
    };
    child.on('error', (error) => finish(`could not start: ${error.message}`));
    child.on('close', (code, signal) =>
      finish(signal === 'SIGKILL' ? `killed after ${seconds(RUNTIME_TIMEOUT_MS)}` : `exit ${code ?? signal}`),
    );
  });
}

const totals = { pass: 0, fail: 0, skip: 0 };
const started = performance.now();
for (const runtime of selected) {
  const t0 = performance.now();
  const install = ensureInstalled(runtime);
  const installed =
    install.ok && install.installed ? `, installed in ${seconds(performance.now() - t0)}` : '';
  const t1 = performance.now();
  const steps = install.ok
    ? await runScenario(runtime)
    : STEPS.map((name) => ({ name, status: 'fail', detail: `not run: ${install.reason}` }));
  const ran = performance.now() - t1;

  const counts = { pass: 0, fail: 0, skip: 0 };
  for (const step of steps) counts[step.status]++;
  for (const key of Object.keys(totals)) totals[key] += counts[key];
  const verdict = counts.fail > 0 ? 'FAIL' : 'ok  ';
  const marks = steps.map((s) => `${s.name} ${s.status === 'pass' ? '✓' : s.status}`).join(', ');
  console.log(`${verdict} ${runtime.name.padEnd(14)} ${marks}  (${seconds(ran)}${installed})`);
  for (const step of steps) {
    if (step.status !== 'pass') console.log(`       ${step.name} ${step.status}: ${step.detail}`);
  }
}

console.log(`runtimes: ${selected.length} in ${seconds(performance.now() - started)}`);
const skipped = totals.skip > 0 ? `, ${totals.skip} skipped` : '';
console.log(`${totals.pass} passed, ${totals.fail} failed${skipped}`);
process.exit(totals.fail > 0 ? 1 : 0);
