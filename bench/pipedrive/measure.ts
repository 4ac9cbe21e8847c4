// One client's two runs against a freshly reset emulator: the first sync of every record, then, once the 2-second
// window has emptied, the same records again unchanged. Requests come from the emulator's counters, tokens from its
// daily budget before and after.
import { setTimeout as sleep } from 'node:timers/promises';
import { countersSince, type KindCount, type RouteCounts } from '../shared/counters.ts';
import type { EmulatorProcess } from '../shared/emulator-child.ts';
import { PLAN } from './account.ts';
import { type ClientName, createBenchClient, type SyncOutcome } from './clients.ts';
import type { EmulatorSummary } from './emulator.ts';
import type { BenchOrganization, BenchPerson } from './records.ts';
import { countByKind, type RouteKind } from './routes.ts';
import { type Landed, verifyLanded } from './verify.ts';

/** One run of one client. */
export interface RunMeasure {
  outcome: SyncOutcome;
  ms: number;
  counts: Record<RouteKind | 'total', KindCount>;
  /** Requests per route key and answer, as the emulator counted them. */
  byRoute: RouteCounts;
  /** Tokens of the daily budget the run spent. */
  tokens: number;
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
  emulator: EmulatorProcess<EmulatorSummary>;
  /** Patchbay's SQLite file, opened by both runs. */
  sqlitePath: string;
  organizations: readonly BenchOrganization[];
  persons: readonly BenchPerson[];
  log(message: string): void;
}): Promise<ClientMeasure> {
  const { name, emulator, organizations, persons, log } = options;
  const client = createBenchClient(name, {
    url: emulator.url,
    token: emulator.token,
    sqlitePath: options.sqlitePath,
  });
  const run = async (label: string): Promise<RunMeasure> => {
    const before = await emulator.summary();
    const started = performance.now();
    const outcome = await client.sync(organizations, persons);
    const ms = performance.now() - started;
    const after = await emulator.summary();
    const byRoute = countersSince(before.byRoute, after.byRoute);
    const counts = countByKind(byRoute);
    const tokens = before.dailyTokensRemaining - after.dailyTokensRemaining;
    log(
      `${name} ${label}: ${(ms / 1000).toFixed(1)} s, ${counts.total.requests} requests, ${tokens} tokens, ${counts.total.rateLimited} × 429, written ${outcome.written}, unchanged ${outcome.unchanged}, failed ${outcome.failed}${outcome.firstError ? ` (${outcome.firstError})` : ''}`,
    );
    return {
      outcome,
      ms,
      counts,
      byRoute,
      tokens,
      landed: verifyLanded(after, organizations.length, persons),
    };
  };
  await emulator.reset();
  const first = await run('first sync');
  // The re-sync starts on an empty window, as the first did (a later run would too).
  await sleep(PLAN.windowMs + 500);
  const second = await run('unchanged re-sync');
  return { name, first, second };
}
