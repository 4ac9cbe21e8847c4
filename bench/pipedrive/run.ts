// Pipedrive benchmark (issue 18): a sync of 10 000 persons and 1 000 organizations, Patchbay's createPipedriveSync
// beside the official `pipedrive` SDK in a per-record loop, in one run against the Pipedrive emulator (its own
// process, loopback, an Ultimate company: 120 requests per 2 s): requests by kind and per record, tokens spent,
// 429s drawn, wall time, what landed, an unchanged re-sync; then bundle and install sizes.
// Run: npm run bench:pipedrive (writes the "pipedrive" section of docs/benchmarks.md).
// BENCH_PIPEDRIVE_PERSONS / _ORGANIZATIONS change the run while developing (printed, not recorded);
// `--only sync` or `--only size` runs one part and prints without recording.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PIPEDRIVE_EMULATOR_TOKEN } from '@patchbay/emulators';
import { recordSection } from '../record.ts';
import { benchModule } from '../shared/bundle-measure.ts';
import { startEmulatorProcess } from '../shared/emulator-child.ts';
import { describeMachine, loadNow } from '../shared/machine.ts';
import { CLIENT_LABELS, CLIENTS } from './clients.ts';
import type { EmulatorSummary } from './emulator.ts';
import { type ClientMeasure, measureClient } from './measure.ts';
import { benchOrganizations, benchPersons } from './records.ts';
import { renderSection } from './report.ts';
import { measureSizes, type SizeMeasure } from './size.ts';

const PARTS = ['sync', 'size'] as const;
const onlyFlag = process.argv.indexOf('--only');
const only = onlyFlag >= 0 ? process.argv[onlyFlag + 1]?.split(',') : undefined;
if (only?.some((part) => !PARTS.includes(part as (typeof PARTS)[number]))) {
  throw new Error(`--only takes ${PARTS.join(', ')}`);
}
const PERSONS = Number(process.env.BENCH_PIPEDRIVE_PERSONS ?? 10_000);
const ORGANIZATIONS = Number(process.env.BENCH_PIPEDRIVE_ORGANIZATIONS ?? 1_000);
const full = !only && PERSONS === 10_000 && ORGANIZATIONS === 1_000;
const log = (message: string) => process.stderr.write(`[bench:pipedrive] ${message}\n`);
const sdkVersion = (
  JSON.parse(readFileSync(join(benchModule('pipedrive'), 'package.json'), 'utf8')) as { version: string }
).version;

// The machine is shared: the load when the run began and ended tells how quiet it was.
const load = loadNow();
const started = performance.now();
const organizations = benchOrganizations(ORGANIZATIONS);
const persons = benchPersons(PERSONS, ORGANIZATIONS);
const measures: ClientMeasure[] = [];
let sizes: SizeMeasure | undefined;
// Sizes first: they take seconds and read the packages' dist/, which a long sync would leave time to be rebuilt under
// them (the checkout is shared).
if (!only || only.includes('size')) {
  log('sizes…');
  sizes = await measureSizes();
}
if (!only || only.includes('sync')) {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-bench-pipedrive-'));
  const emulator = await startEmulatorProcess<EmulatorSummary>(
    join(import.meta.dirname, 'emulator.ts'),
    PIPEDRIVE_EMULATOR_TOKEN,
  );
  try {
    for (const name of CLIENTS) {
      log(`${CLIENT_LABELS[name]}…`);
      measures.push(
        await measureClient({
          name,
          emulator,
          sqlitePath: join(dir, `${name}.db`),
          organizations,
          persons,
          log,
        }),
      );
    }
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
const markdown = renderSection({
  measures,
  sizes,
  persons: PERSONS,
  organizations: ORGANIZATIONS,
  seconds: (performance.now() - started) / 1000,
  versions: { sdk: sdkVersion },
  machine: describeMachine(load),
});
if (full) recordSection('pipedrive', markdown);
console.log(markdown);
