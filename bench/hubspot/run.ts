// HubSpot benchmark (issue 17): a sync of 10 000 contacts and 1 000 companies, Patchbay's createHubSpotSync
// beside @hubspot/api-client driven as its README suggests (batch upsert, its limiter and retries on), in one run
// against the HubSpot emulator (its own process, loopback, HubSpot's 100 requests per 10 s): requests by kind
// and per record, 429s drawn, wall time, what landed, an unchanged re-sync; then bundle and install sizes.
// Run: npm run bench:hubspot (writes the "hubspot" section of docs/benchmarks.md).
// Then each client's first sync again while another part of the same app draws 40 requests per 10 s on the budget.
// BENCH_HUBSPOT_CONTACTS / _COMPANIES / _NEIGHBOUR change the run while developing (printed, not recorded);
// `--only sync` or `--only size` runs one part and prints without recording.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordSection } from '../record.ts';
import { describeMachine, loadNow } from '../shared/machine.ts';
import { CLIENT_LABELS, CLIENTS } from './clients.ts';
import { startHubSpotEmulatorProcess } from './emulator-process.ts';
import { type ClientMeasure, measureClient } from './measure.ts';
import { benchCompanies, benchContacts } from './records.ts';
import { renderSection } from './report.ts';
import { measureSizes, type SizeMeasure } from './size.ts';

const PARTS = ['sync', 'size'] as const;
const onlyFlag = process.argv.indexOf('--only');
const only = onlyFlag >= 0 ? process.argv[onlyFlag + 1]?.split(',') : undefined;
if (only?.some((part) => !PARTS.includes(part as (typeof PARTS)[number]))) {
  throw new Error(`--only takes ${PARTS.join(', ')}`);
}
const CONTACTS = Number(process.env.BENCH_HUBSPOT_CONTACTS ?? 10_000);
const COMPANIES = Number(process.env.BENCH_HUBSPOT_COMPANIES ?? 1_000);
/** Requests per 10 s another part of the same app draws in the contended run. */
const NEIGHBOUR = Number(process.env.BENCH_HUBSPOT_NEIGHBOUR ?? 40);
const full = !only && CONTACTS === 10_000 && COMPANIES === 1_000 && NEIGHBOUR === 40;
const log = (message: string) => process.stderr.write(`[bench:hubspot] ${message}\n`);
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
const load = loadNow();
const started = performance.now();
const companies = benchCompanies(COMPANIES);
const contacts = benchContacts(CONTACTS, COMPANIES);
let measures: ClientMeasure[] = [];
let sizes: SizeMeasure | undefined;
if (!only || only.includes('sync')) {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-bench-hubspot-'));
  const emulator = await startHubSpotEmulatorProcess();
  try {
    for (const name of CLIENTS) {
      log(`${CLIENT_LABELS[name]}…`);
      measures.push(
        await measureClient({
          name,
          emulator,
          sqlitePath: join(dir, `${name}.db`),
          companies,
          contacts,
          neighbourPerWindow: NEIGHBOUR,
          log,
        }),
      );
    }
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
} else measures = [];
if (!only || only.includes('size')) {
  log('sizes…');
  sizes = await measureSizes();
}
const markdown = renderSection({
  measures,
  sizes,
  contacts: CONTACTS,
  companies: COMPANIES,
  neighbour: NEIGHBOUR,
  seconds: (performance.now() - started) / 1000,
  versions: { sdk: version('@hubspot/api-client') },
  machine: describeMachine(load),
});
if (full) recordSection('hubspot', markdown);
console.log(markdown);
