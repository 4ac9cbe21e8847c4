// One client's two runs against a freshly reset emulator: the first sync of every record, then, after the
// 10-second window has emptied, the same records again unchanged. Requests come from the emulator's counters.
import { setTimeout as sleep } from 'node:timers/promises';
import { countersSince, type KindCount } from '../shared/counters.ts';
import { type ClientName, type SyncOutcome, syncWith } from './clients.ts';
import type { HubSpotEmulatorProcess } from './emulator-process.ts';
import { NEIGHBOUR_ROUTE, type NeighbourReport, startNeighbour } from './neighbour.ts';
import type { BenchCompany, BenchContact } from './records.ts';
import { countByKind, type RouteKind } from './routes.ts';
import { type Landed, verifyLanded } from './verify.ts';

/** HubSpot's window (Free/Starter private app: 100 requests per rolling 10 s). */
export const WINDOW_MS = 10_000;

/** One run of one client. */
export interface RunMeasure {
  outcome: SyncOutcome;
  ms: number;
  counts: Record<RouteKind | 'total', KindCount>;
  /** Requests per route key and outcome, as the emulator counted them. */
  byRoute: Record<string, { total: number; byOutcome: Record<string, number> }>;
  landed: Landed;
  /** What the neighbour did during the run, when one ran (its requests are left out of the counts above). */
  neighbour?: NeighbourReport;
}

/** Both runs of one client. */
export interface ClientMeasure {
  name: ClientName;
  first: RunMeasure;
  second: RunMeasure;
  /** A first sync on a reset emulator while a neighbour draws on the same budget (when asked). */
  contended?: RunMeasure;
}

/** Runs `name`'s first sync and its unchanged re-sync on a freshly reset emulator; then, given `neighbourPerWindow`,
 * a first sync again on a reset emulator (and a new store) with a neighbour drawing on the budget. */
export async function measureClient(options: {
  name: ClientName;
  emulator: HubSpotEmulatorProcess;
  /** Patchbay's SQLite file for the first sync and re-sync; the contended run uses `<path>.contended`. */
  sqlitePath: string;
  companies: readonly BenchCompany[];
  contacts: readonly BenchContact[];
  neighbourPerWindow?: number;
  log(message: string): void;
}): Promise<ClientMeasure> {
  const { name, emulator, companies, contacts, log } = options;
  const run = async (label: string, sqlitePath: string, neighbourPerWindow?: number): Promise<RunMeasure> => {
    const target = { url: emulator.url, token: emulator.token, sqlitePath };
    const before = await emulator.summary();
    const neighbour =
      neighbourPerWindow === undefined
        ? undefined
        : startNeighbour({ ...target, perWindow: neighbourPerWindow, windowMs: WINDOW_MS });
    const started = performance.now();
    const outcome = await syncWith(name, target, companies, contacts);
    const ms = performance.now() - started;
    const neighbourReport = await neighbour?.stop();
    const after = await emulator.summary();
    const byRoute = countersSince(before.byRoute, after.byRoute);
    delete byRoute[NEIGHBOUR_ROUTE];
    const counts = countByKind(byRoute);
    log(
      `${name} ${label}: ${(ms / 1000).toFixed(1)} s, ${counts.total.requests} requests, ${counts.total.rateLimited} × 429, written ${outcome.written}, unchanged ${outcome.unchanged}, failed ${outcome.failed}${outcome.firstError ? ` (${outcome.firstError})` : ''}${neighbourReport ? `; neighbour ${neighbourReport.requests} requests, ${neighbourReport.rateLimited} × 429` : ''}`,
    );
    return {
      outcome,
      ms,
      counts,
      byRoute,
      landed: verifyLanded(after, companies.length, contacts),
      ...(neighbourReport ? { neighbour: neighbourReport } : {}),
    };
  };
  await emulator.reset();
  const first = await run('first sync', options.sqlitePath);
  // The re-sync starts on an empty window, as the first did (HubSpot's window rolls; a later run would too).
  await sleep(WINDOW_MS + 500);
  const second = await run('unchanged re-sync', options.sqlitePath);
  if (options.neighbourPerWindow === undefined) return { name, first, second };
  await emulator.reset();
  const contended = await run(
    `first sync beside a neighbour at ${options.neighbourPerWindow} per 10 s`,
    `${options.sqlitePath}.contended`,
    options.neighbourPerWindow,
  );
  return { name, first, second, contended };
}
