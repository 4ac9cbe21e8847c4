// Exact Online benchmark (issue 19): a pull of 50 000 accounts, then of 500 changes and 20 deletions, within Exact's
// 60 calls a minute, by Patchbay's exactChanges beside a hand-written fetch loop over the REST list, in one run
// against the Exact Online emulator (its own process, loopback, limits on, on an accelerated clock): requests by
// kind and per record, 429s drawn, the busiest 60 s, what each handed out, Exact and real time; then the bundle
// and install sizes. Run: npm run bench:exact (writes the "exact" section of docs/benchmarks.md).
// BENCH_EXACT_ACCOUNTS changes the run while developing (printed, not recorded); BENCH_EXACT_SPEED sets the clock's
// factor (default 10); `--only pull` or `--only size` runs one part and prints without recording.
import { join } from 'node:path';
import { recordSection } from '../record.ts';
import { forkEmulator } from '../shared/emulator-child.ts';
import { describeMachine, loadNow } from '../shared/machine.ts';
import { CLIENT_LABELS, CLIENTS } from './clients.ts';
import { acceleratedClock, type ClockOrigin, originArgs } from './clock.ts';
import type { EmulatorSummary } from './emulator.ts';
import { type ClientMeasure, measureClient } from './measure.ts';
import { renderSection } from './report.ts';
import { measureSizes, type SizeMeasure } from './size.ts';

const PARTS = ['pull', 'size'] as const;
const onlyFlag = process.argv.indexOf('--only');
const only = onlyFlag >= 0 ? process.argv[onlyFlag + 1]?.split(',') : undefined;
if (only?.some((part) => !PARTS.includes(part as (typeof PARTS)[number]))) {
  throw new Error(`--only takes ${PARTS.join(', ')}`);
}
const ACCOUNTS = Number(process.env.BENCH_EXACT_ACCOUNTS ?? 50_000);
const SPEED = Number(process.env.BENCH_EXACT_SPEED ?? 10);
const full = !only && ACCOUNTS === 50_000;
const log = (message: string) => process.stderr.write(`[bench:exact] ${message}\n`);

// The machine is shared: the load when the run began and ended tells how quiet it was.
const load = loadNow();
const started = performance.now();
const measures: ClientMeasure[] = [];
let sizes: SizeMeasure | undefined;
// Sizes first: they take seconds and read the packages' dist/, which a long run would leave time to be rebuilt under
// them (the checkout is shared).
if (!only || only.includes('size')) {
  log('sizes…');
  sizes = await measureSizes();
}
if (!only || only.includes('pull')) {
  // Exact time starts mid-minute on a working day, so the loads straddle the emulator's minute windows.
  const origin: ClockOrigin = {
    startAt: Date.UTC(2026, 11, 7, 9, 0, 30),
    realStart: Date.now(),
    factor: SPEED,
  };
  const clock = acceleratedClock(origin);
  const emulator = await forkEmulator<EmulatorSummary, 'summary' | 'reset' | 'change'>(
    join(import.meta.dirname, 'emulator.ts'),
    [...originArgs(origin), String(ACCOUNTS)],
  );
  try {
    for (const name of CLIENTS) {
      log(`${CLIENT_LABELS[name]}…`);
      measures.push(await measureClient({ name, emulator, clock, log }));
    }
  } finally {
    await emulator.close();
  }
}
const markdown = renderSection({
  measures,
  sizes,
  accounts: ACCOUNTS,
  factor: SPEED,
  seconds: (performance.now() - started) / 1000,
  machine: describeMachine(load),
});
if (full) recordSection('exact', markdown);
console.log(markdown);
