// PostHog benchmark (issue 15): Patchbay's durable capture beside posthog-node doing the same work, in one run
// against the PostHog emulator (its own process, loopback): requests per 1 000 events (burst and steady), events
// lost to a SIGKILL 50 ms after the last capture returned, the capture rate with durability on; then the export of
// a million rows (peak RSS, rows/s, against an emulator of its own) and the reading client's bundle size.
// Run: npm run bench:posthog (writes the "posthog" section of docs/benchmarks.md).
// BENCH_POSTHOG_STORE=memory runs Patchbay on the memory store (development only: the section says so).
// `--only <phase>,…` (or BENCH_POSTHOG_ONLY) runs only those phases (requests, kill, rate, export, bundle) and
// prints without recording: `npm run bench:posthog -- --only export`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordSection } from '../record.ts';
import { bundlePhase } from './bundle-size.ts';
import { capturePhase } from './capture-rate.ts';
import { startEmulatorProcess } from './emulator-process.ts';
import { exportPhase } from './export.ts';
import { killPhase } from './kill.ts';
import type { Phase, PhaseContext, PhaseReport } from './phase.ts';
import { requestsPhase } from './requests.ts';

const phases: Phase[] = [requestsPhase, killPhase, capturePhase, exportPhase, bundlePhase];

const onlyFlag = process.argv.indexOf('--only');
const only = (onlyFlag >= 0 ? process.argv[onlyFlag + 1] : process.env.BENCH_POSTHOG_ONLY)
  ?.split(',')
  .map((name) => name.trim());
const unknown = only?.filter((name) => !phases.some((phase) => phase.name === name)) ?? [];
if (unknown.length > 0 || (only && only.length === 0)) {
  throw new Error(`--only takes phases among ${phases.map((phase) => phase.name).join(', ')}`);
}
const store = process.env.BENCH_POSTHOG_STORE === 'memory' ? 'memory' : 'sqlite';
const log = (message: string) => process.stderr.write(`[bench:posthog] ${message}\n`);
const version = (pkg: string) =>
  (
    JSON.parse(
      readFileSync(
        join(import.meta.dirname, '..', 'node_modules', ...pkg.split('/'), 'package.json'),
        'utf8',
      ),
    ) as { version: string }
  ).version;

// The machine is shared: the load when the run began and ended tells how quiet it was.
const load = loadavg()[0] ?? 0;
const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'patchbay-bench-posthog-'));
const emulator = await startEmulatorProcess();
const context: PhaseContext = { emulator, dir, store, log };
const reports: PhaseReport[] = [];
try {
  for (const phase of phases) {
    if (only && !only.includes(phase.name)) continue;
    log(`${phase.name}…`);
    const begun = performance.now();
    reports.push(await phase.run(context));
    log(`${phase.name}: ${((performance.now() - begun) / 1000).toFixed(0)} s`);
  }
} finally {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}
const totalS = (performance.now() - started) / 1000;
const loadAtEnd = loadavg()[0] ?? 0;

const rows = reports.flatMap((report) => report.rows);
const markdown = `## PostHog: @patchbay/posthog vs posthog-node

Command: \`npm run bench:posthog\` (\`bench/posthog/run.ts\`), ${totalS.toFixed(0)} s, every figure below from this one run. Capture: both
clients in one run, one after the other, against the PostHog emulator (\`@patchbay/emulators\`, capture on \`/batch/\`, gzip)
in its own process on loopback, no added latency. @patchbay/posthog ${version('@patchbay/posthog')} with its defaults (batches of 1 000,
a partial batch once its oldest event has waited 1 s, 2 sends in flight; the SIGKILL measurement changes \`leaseMs\` and
\`timeoutMs\`, and says why) on a
**${store === 'sqlite' ? 'SQLite outbox (synchronous=FULL)' : 'MEMORY store (development run: not the figures)'}**;
posthog-node ${version('posthog-node')} with its defaults (flushAt 20, maxBatchSize 100, flushInterval 5 s, maxQueueSize
10 000, gzip). The export reads a million events from an emulator of its own, and the bundle sizes come from esbuild; their
sections say how. Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, 1-minute load average ${load.toFixed(2)} at the start and ${loadAtEnd.toFixed(2)} at the end (the run itself keeps one or two cores busy; the machine is shared).

| | @patchbay/posthog | posthog-node | target (ours) | verdict |
|---|---|---|---|---|
${rows.map((row) => `| ${row.measure} | ${row.patchbay} | ${row.posthogNode} | ${row.target} | ${row.verdict} |`).join('\n')}

Reading: ${reports
  .map((report) => report.reading)
  .filter(Boolean)
  .join('\n\n')}

${reports
  .map((report) => report.markdown.trim())
  .filter(Boolean)
  .join('\n\n')}
`;
if (!only) recordSection('posthog', markdown);
console.log(markdown);
