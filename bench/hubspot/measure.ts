// One client's two runs against a freshly reset emulator: the first sync of every record, then, after the
// 10-second window has emptied, the same records again unchanged. Requests come from the emulator's counters.
import { setTimeout as sleep } from 'node:timers/promises';
import { type ClientName, type SyncOutcome, syncWith } from './clients.ts';
import type { HubSpotEmulatorProcess } from './emulator-process.ts';
import type { BenchCompany, BenchContact } from './records.ts';
import { countByKind, countersSince, type KindCount, type RouteKind } from './routes.ts';
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
}

/** Both runs of one client. */
export interface ClientMeasure {
  name: ClientName;
  first: RunMeasure;
  second: RunMeasure;
}

/** Runs `name`'s first sync and its unchanged re-sync on a freshly reset emulator. */
export async function measureClient(options: {
  name: ClientName;
  emulator: HubSpotEmulatorProcess;
  sqlitePath: string;
  companies: readonly BenchCompany[];
  contacts: readonly BenchContact[];
  log(message: string): void;
}): Promise<ClientMeasure> {
  const { name, emulator, companies, contacts, log } = options;
  await emulator.reset();
  const target = { url: emulator.url, token: emulator.token, sqlitePath: options.sqlitePath };
  const run = async (label: string): Promise<RunMeasure> => {
    const before = await emulator.summary();
    const started = performance.now();
    const outcome = await syncWith(name, target, companies, contacts);
    const ms = performance.now() - started;
    const after = await emulator.summary();
    const byRoute = countersSince(before.byRoute, after.byRoute);
    const counts = countByKind(byRoute);
    log(
      `${name} ${label}: ${(ms / 1000).toFixed(1)} s, ${counts.total.requests} requests, ${counts.total.rateLimited} × 429, written ${outcome.written}, unchanged ${outcome.unchanged}, failed ${outcome.failed}${outcome.firstError ? ` (${outcome.firstError})` : ''}`,
    );
    return { outcome, ms, counts, byRoute, landed: verifyLanded(after, companies.length, contacts) };
  };
  const first = await run('first sync');
  // The re-sync starts on an empty window, as the first did (HubSpot's window rolls; a later run would too).
  await sleep(WINDOW_MS + 500);
  const second = await run('unchanged re-sync');
  return { name, first, second };
}
