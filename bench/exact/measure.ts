// One client's two pulls against a freshly reset emulator (the accounts seeded, a token set issued): the first load,
// then the users' edits, then, an Exact minute later (as a next scheduled run, on a fresh minute window), the pull
// of what changed. Requests come from the emulator's counters, the busiest minute from its request log.
import { setTimeout as sleep } from 'node:timers/promises';
import { countersSince, type KindCount, type RouteCounts } from '../shared/counters.ts';
import type { EmulatorChild } from '../shared/emulator-child.ts';
import { type ClientName, createBenchPuller, type PullOutcome } from './clients.ts';
import type { BenchClock } from './clock.ts';
import type { EmulatorSummary } from './emulator.ts';
import { countByKind, type RouteKind } from './routes.ts';
import { type Seen, seenOnChanges, seenOnLoad } from './verify.ts';
import { busiest } from './window.ts';

/** The emulator process as the bench drives it. */
export type ExactEmulatorProcess = EmulatorChild<EmulatorSummary, 'summary' | 'reset' | 'change'>;

/** One pull of one client. */
export interface RunMeasure {
  /** Real wall time, ms. */
  ms: number;
  /** Time on the bench clock (Exact's), ms. */
  exactMs: number;
  counts: Record<RouteKind | 'total', KindCount>;
  /** Requests per route key and answer, as the emulator counted them. */
  byRoute: RouteCounts;
  /** The most requests in any rolling 60 s and in any clock minute (Exact's), and the clock minutes touched. */
  busiest: { rolling: number; fixed: number; minutes: number };
  seen: Seen;
  /** 429s the loop slept out (the loop only). */
  waits: number;
  error?: string;
}

/** Both pulls of one client. */
export interface ClientMeasure {
  name: ClientName;
  first: RunMeasure;
  changes: RunMeasure;
}

/** Runs `name`'s first load and its next pull on a freshly reset emulator. */
export async function measureClient(options: {
  name: ClientName;
  emulator: ExactEmulatorProcess;
  clock: BenchClock;
  log(message: string): void;
}): Promise<ClientMeasure> {
  const { name, emulator, clock, log } = options;
  const start = await emulator.ask('reset');
  const puller = createBenchPuller(name, {
    url: emulator.url,
    division: start.division,
    tokens: start.tokens,
    clock,
  });
  const run = async (
    label: string,
    before: EmulatorSummary,
    check: (outcome: PullOutcome) => Seen,
  ): Promise<RunMeasure> => {
    const exactStart = clock.now();
    const started = performance.now();
    const outcome = await puller.pull();
    const ms = performance.now() - started;
    const exactMs = clock.now() - exactStart;
    const after = await emulator.ask('summary');
    const byRoute = countersSince(before.byRoute, after.byRoute);
    const counts = countByKind(byRoute);
    const measure: RunMeasure = {
      ms,
      exactMs,
      counts,
      byRoute,
      busiest: busiest(after.log.slice(before.log.length).map((request) => request.at)),
      seen: check(outcome),
      waits: outcome.waits,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
    };
    log(
      `${name} ${label}: ${(ms / 1000).toFixed(1)} s (${(exactMs / 60_000).toFixed(1)} Exact min), ${counts.total.requests} requests, ${counts.total.rateLimited} × 429, busiest 60 s ${measure.busiest.rolling}, records ${outcome.records} (${outcome.ids.size} distinct), deletions ${outcome.deletions.size}${outcome.error ? ` — ${outcome.error}` : ''}`,
    );
    return measure;
  };
  const first = await run('first load', start, (outcome) => seenOnLoad(outcome, start.accounts));
  const edited = await emulator.ask('change');
  // The next run comes a minute later, as a scheduled one would: the limit's minute window is a fresh one.
  await sleep(clock.real(60_000));
  const changes = await run('changes', edited, (outcome) =>
    seenOnChanges(outcome, edited.changed, edited.deleted),
  );
  return { name, first, changes };
}
