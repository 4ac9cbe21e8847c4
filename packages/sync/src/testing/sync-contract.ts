// The behaviour every connector's sync must share, as vitest tests run against the connector's own emulator:
// correct on a first sync, silent on an unchanged one, safe when the local database is lost, lossless through
// every kind of fault, through SIGKILLs at random points, and with two workers on one store. Each connector runs
// it, as every store runs the store contract, so "reliable" means the same thing for all of them.
import type { ApiResult } from '@patchbay/core';
import type { IntegrationStore, Mapping, MappingScope } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import type { SyncReport } from '../report.ts';

/** What the contract drives: an engine, or a connector's front over one. */
export interface SyncContractEngine {
  upsertMany(
    type: string,
    records: Iterable<unknown> | AsyncIterable<unknown>,
  ): Promise<ApiResult<SyncReport>>;
}

/** The kinds of fault the contract requires a connector's emulator to inject, and the sync to survive. */
export const SYNC_CONTRACT_FAULTS = [
  'error',
  'rate-limit',
  'hang',
  'reset',
  'malformed',
  'commit-then-fail',
] as const;

/** A kind of fault in {@link SYNC_CONTRACT_FAULTS}. */
export type SyncContractFault = (typeof SYNC_CONTRACT_FAULTS)[number];

/** A remote service under test (the connector's emulator, served over HTTP). */
export interface SyncContractRemote {
  /** Where engines in this and in other processes reach it. */
  url: string;
  /** Injects every kind of fault at random over the record routes (about half of record requests fail). */
  injectFaults(): void;
  clearFaults(): void;
  /** How many times each kind fired since `injectFaults`. */
  faultsFired(): Partial<Record<SyncContractFault, number>>;
  /** Every record the remote holds of a type (soft-deleted ones excluded). */
  records(type: string): { externalId: string; remoteId: string }[];
  /** Requests answered since the last `resetRequests`. */
  requests(): number;
  resetRequests(): void;
  close(): Promise<void>;
}

/** A store the contract runs on. */
export interface SyncContractStore {
  name: string;
  /** A new, empty store. */
  open(): Promise<IntegrationStore> | IntegrationStore;
}

/** One JSON line a worker process printed (see {@link SyncContractTarget.startWorker}). */
export interface SyncContractWorkerEvent {
  event: string;
  at: number;
  [key: string]: unknown;
}

/** A worker process syncing every type of the target in order. */
export interface SyncContractWorker {
  events: SyncContractWorkerEvent[];
  stderr(): string;
  waitForEvent(matches: (event: SyncContractWorkerEvent) => boolean): Promise<SyncContractWorkerEvent>;
  /** Tells a worker started with `waitForGo` to start. */
  go(): void;
  kill(): void;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

/** Where a worker process keeps its store. */
export type SyncContractWorkerStore =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string; schema: string };

/** What a worker process is asked to do. */
export interface SyncContractWorkerSpec {
  url: string;
  store: SyncContractWorkerStore;
  counts: Record<string, number>;
  batchSize: number;
  /** A restarted worker comes back under the same owner and takes its lease back at once. */
  leaseOwner: string;
  /** Waits for a `go` line on stdin before it starts. */
  waitForGo?: boolean;
  /** The types to sync. Default every type, in order. */
  types?: readonly string[];
}

/** What a connector hands the contract. */
export interface SyncContractTarget {
  /** The connector's integration name (the mapping scope). */
  integration: string;
  /** Object types, parents first. */
  types: readonly string[];
  /** `count` records of a type, the same in every process; a child type points at `counts` parents. */
  records(type: string, count: number, counts: Record<string, number>): unknown[];
  /** Starts the connector's emulator, ready for syncs (custom fields created and so on). */
  startRemote(options: { seed: number; latencyMs?: number }): Promise<SyncContractRemote>;
  /** An engine in this process; `faulty` asks for short timeouts and quick retries. */
  createEngine(options: {
    remote: SyncContractRemote;
    store: IntegrationStore;
    faulty?: boolean;
  }): SyncContractEngine;
  /** Checks what only the connector knows (a person linked to the right company). */
  checkRemote?(remote: SyncContractRemote, counts: Record<string, number>): void | Promise<void>;
  /** The stores to run on (memory, SQLite, PostgreSQL…). */
  stores: readonly SyncContractStore[];
  /**
   * Starts a worker process that syncs every type in order into `url` through `store`, printing JSON lines:
   * `ready`, `started`, `progress` (`type`, `processed`), `sending` (a write leaves), `report` (`type`, counts),
   * `error`, `done`. Without it the crash and multi-worker scenarios are skipped.
   */
  startWorker?(spec: SyncContractWorkerSpec): SyncContractWorker;
  /** SQLite for the crash scenario: a fresh file path, and a store on a path (to inspect what a kill left). */
  sqlite?: { path(): string; open(path: string): IntegrationStore };
  /** A PostgreSQL URL and a fresh schema for the two-worker scenario; undefined skips it. */
  postgres?(): { url: string; schema: string; open(): Promise<IntegrationStore> } | undefined;
  /** Records per type of the large scenarios. Default: 100 of the first type, 2 000 of the others. */
  counts?: Record<string, number>;
}

async function allMappings(store: IntegrationStore, scope: MappingScope): Promise<Mapping[]> {
  const all: Mapping[] = [];
  for await (const page of store.mappings.iterate(scope)) {
    if (!page.success) throw page.error;
    all.push(...page.data);
  }
  return all;
}

const countsOf = (types: readonly string[], parents: number, children: number) =>
  Object.fromEntries(types.map((type, index) => [type, index === 0 ? parents : children]));

function reportOf(result: ApiResult<SyncReport>): SyncReport {
  if (!result.success) throw result.error;
  return result.data;
}

/**
 * Registers the sync contract for a connector: `describeSyncContract('acme-crm', target)`.
 * @example describeSyncContract('acme-crm', { integration: 'acme-crm', types: ['company', 'person'], … });
 */
export function describeSyncContract(name: string, target: SyncContractTarget): void {
  const { types } = target;
  const large = target.counts ?? countsOf(types, 100, 2_000);

  /** Each fixture record exactly once in the remote, and the mappings holding exactly the remote's ids. */
  async function expectConsistent(
    remote: SyncContractRemote,
    store: IntegrationStore,
    counts: Record<string, number>,
  ) {
    for (const type of types) {
      const held = remote.records(type);
      const expected = target.records(type, counts[type]!, counts) as { externalId?: unknown }[];
      const ids = held.map((record) => record.externalId);
      expect(ids.length - new Set(ids).size, `${type}: duplicated records`).toBe(0);
      expect(new Set(ids), `${type}: the remote holds exactly the records synced`).toEqual(
        new Set(expected.map((record) => String(record.externalId))),
      );
      const scope = { integration: target.integration, objectType: type };
      const mapped = await allMappings(store, scope);
      expect(Object.fromEntries(mapped.map((m) => [m.externalId, m.remoteId])), `${type}: mappings`).toEqual(
        Object.fromEntries(held.map((record) => [record.externalId, record.remoteId])),
      );
      const inFlight = await store.syncState.outboxList(scope);
      expect(inFlight.success && inFlight.data, `${type}: nothing left in flight`).toEqual([]);
    }
    await target.checkRemote?.(remote, counts);
  }

  async function syncAll(engine: SyncContractEngine, counts: Record<string, number>) {
    const reports: SyncReport[] = [];
    for (const type of types) {
      reports.push(reportOf(await engine.upsertMany(type, target.records(type, counts[type]!, counts))));
    }
    return reports;
  }

  describe(`${name} sync contract`, () => {
    for (const storeSpec of target.stores) {
      describe(`on ${storeSpec.name}`, () => {
        it('syncs once, sends nothing for an unchanged re-sync, updates only what changed, and survives a lost local database without a duplicate', async () => {
          const counts = countsOf(types, 20, 300);
          const remote = await target.startRemote({ seed: 1 });
          const store = await storeSpec.open();
          try {
            const first = await syncAll(target.createEngine({ remote, store }), counts);
            for (const report of first) expect(report.failed, JSON.stringify(report.failures[0])).toBe(0);
            await expectConsistent(remote, store, counts);

            // A new engine (a new process) on the same store: everything is unchanged, nothing is sent.
            remote.resetRequests();
            const again = await syncAll(target.createEngine({ remote, store }), counts);
            for (const [index, report] of again.entries()) {
              expect(report).toMatchObject({
                created: 0,
                updated: 0,
                failed: 0,
                unchanged: counts[types[index]!],
              });
            }
            expect(remote.requests()).toBe(0);

            // 100 changed records (or all, when fewer): exactly those are written.
            const child = types.at(-1)!;
            const changedCount = Math.min(100, counts[child]!);
            const changed = (target.records(child, counts[child]!, counts) as Record<string, unknown>[]).map(
              (record, index) =>
                index < changedCount ? { ...record, name: `${String(record.name)} (changed)` } : record,
            );
            const third = reportOf(await target.createEngine({ remote, store }).upsertMany(child, changed));
            expect(third).toMatchObject({
              updated: changedCount,
              unchanged: counts[child]! - changedCount,
              failed: 0,
              created: 0,
            });

            // The local database is lost (mappings gone, the remote full): a sync creates no duplicate.
            const fresh = await storeSpec.open();
            try {
              const rebuilt = await syncAll(target.createEngine({ remote, store: fresh }), counts);
              for (const report of rebuilt) expect(report).toMatchObject({ created: 0, failed: 0 });
              await expectConsistent(remote, fresh, counts);
            } finally {
              await fresh.close();
            }
          } finally {
            await store.close();
            await remote.close();
          }
        }, 60_000);

        it(`syncs ${Object.values(large).join(' + ')} records through every kind of fault without losing or duplicating one`, async () => {
          const remote = await target.startRemote({ seed: 6 });
          const store = await storeSpec.open();
          try {
            remote.injectFaults();
            // A record whose every attempt failed is reported; the next run writes it. A run can also fail as a
            // whole (every attempt of its start-up recovery failed): that error is retryable.
            let runs = 0;
            let clean = false;
            while (!clean && runs < 10) {
              runs++;
              const engine = target.createEngine({ remote, store, faulty: true });
              const results = [];
              for (const type of types) {
                results.push(await engine.upsertMany(type, target.records(type, large[type]!, large)));
              }
              for (const result of results) if (!result.success) expect(result.error.retryable).toBe(true);
              clean = results.every((result) => result.success && result.data.failed === 0);
            }
            expect(clean).toBe(true);
            const fired = remote.faultsFired();
            for (const kind of SYNC_CONTRACT_FAULTS)
              expect(fired[kind] ?? 0, `${kind} faults fired`).toBeGreaterThan(0);
            remote.clearFaults();
            await expectConsistent(remote, store, large);

            // What the faults left behind is exactly what was meant: a re-sync sends nothing.
            remote.resetRequests();
            const again = await syncAll(target.createEngine({ remote, store }), large);
            for (const report of again) expect(report).toMatchObject({ created: 0, updated: 0, failed: 0 });
            expect(remote.requests()).toBe(0);
          } finally {
            await store.close();
            await remote.close();
          }
        }, 120_000);
      });
    }

    const { startWorker, sqlite } = target;
    const crash = startWorker && sqlite ? it : it.skip;
    crash(
      'survives 20 SIGKILLs at points spread over the stream on SQLite, then resumes: nothing lost, nothing duplicated',
      async () => {
        const kills = 20;
        // Latency stretches each write over milliseconds, so kills land between sending a batch and saving its ids.
        const remote = await target.startRemote({ seed: 7, latencyMs: 8 });
        try {
          const path = sqlite!.path();
          const start = () =>
            startWorker!({
              url: remote.url,
              store: { kind: 'sqlite', path },
              counts: large,
              batchSize: 20,
              leaseOwner: 'crash-worker',
            });
          const offsets = new Map<string, number>();
          let total = 0;
          for (const type of types) {
            offsets.set(type, total);
            total += large[type]!;
          }
          const progressOf = (event: SyncContractWorkerEvent) =>
            (offsets.get(String(event.type)) ?? 0) +
            (typeof event.processed === 'number' ? event.processed : 0);
          // Kill points spread over the whole stream, each with its own delay after the point (under 20 ms, or
          // under 4 ms after a write left), so kills land before, during and after writes; the same every run.
          const points = Array.from({ length: kills }, (_, index) =>
            Math.floor(((index + 0.5) / kills) * total * 0.95),
          );
          const delay = (index: number, range: number) => ((index * 7) % range) + 0.5;
          let inFlightAtKill = 0;
          let lastProgress = 0;
          for (const [index, point] of points.entries()) {
            const worker = start();
            const reached = await worker.waitForEvent(
              (e) => e.event === 'progress' && progressOf(e) >= point,
            );
            // Every other kill waits for the next write to leave and lands within the remote's latency.
            if (index % 2 === 1) {
              await worker.waitForEvent((e) => e.event === 'sending' && e.at >= reached.at);
              await sleep(delay(index, 4));
            } else await sleep(delay(index, 20));
            worker.kill();
            const exit = await worker.exited;
            expect(
              worker.events.some((e) => e.event === 'done'),
              'a kill cut a running sync short',
            ).toBe(false);
            expect(exit.signal).toBe('SIGKILL');
            lastProgress = Math.max(
              0,
              ...worker.events.filter((e) => e.event === 'progress').map(progressOf),
            );
            // What the kill left: writes in flight (sent, their ids not saved yet) are what recovery settles.
            const left = sqlite!.open(path);
            try {
              for (const type of types) {
                const pending = await left.syncState.outboxList({
                  integration: target.integration,
                  objectType: type,
                });
                if (!pending.success) throw pending.error;
                if (pending.data.length > 0) {
                  inFlightAtKill++;
                  break;
                }
              }
            } finally {
              await left.close();
            }
          }
          expect(lastProgress).toBeGreaterThan(total / 2);
          expect(inFlightAtKill).toBeGreaterThanOrEqual(5);

          // A last worker, left alone, finishes the job.
          const last = start();
          const exit = await last.exited;
          expect(exit, last.stderr()).toEqual({ code: 0, signal: null });
          const reports = last.events.filter((e) => e.event === 'report');
          expect(reports.map((r) => r.failed)).toEqual(types.map(() => 0));
          const check = sqlite!.open(path);
          try {
            await expectConsistent(remote, check, large);
          } finally {
            await check.close();
          }
        } finally {
          await remote.close();
        }
      },
      120_000,
    );

    const shared = startWorker && target.postgres ? it : it.skip;
    shared(
      'two workers on one PostgreSQL store take turns through the lease: nothing is duplicated',
      async () => {
        const pg = target.postgres!();
        if (!pg) return;
        const child = types.at(-1)!;
        const remote = await target.startRemote({ seed: 8, latencyMs: 5 });
        const store = await pg.open();
        try {
          // Parents first, by this process, so both workers race on the same child records.
          const engine = target.createEngine({ remote, store });
          for (const type of types.slice(0, -1)) {
            reportOf(await engine.upsertMany(type, target.records(type, large[type]!, large)));
          }
          const workers = ['a', 'b'].map((owner) =>
            startWorker!({
              url: remote.url,
              store: { kind: 'postgres', url: pg.url, schema: pg.schema },
              counts: large,
              batchSize: 60,
              leaseOwner: `worker-${owner}`,
              waitForGo: true,
              types: [child],
            }),
          );
          await Promise.all(workers.map((w) => w.waitForEvent((e) => e.event === 'ready')));
          for (const worker of workers) worker.go();
          const exits = await Promise.all(workers.map((w) => w.exited));
          expect(exits, workers.map((w) => w.stderr()).join('\n')).toEqual([
            { code: 0, signal: null },
            { code: 0, signal: null },
          ]);
          const started = workers.map((w) => w.events.find((e) => e.event === 'started')!);
          expect(Math.abs(started[0]!.at - started[1]!.at)).toBeLessThan(1_000);
          // One did the work; the other waited for the lease, then found everything synced.
          const reports = workers
            .map((w) => w.events.find((e) => e.event === 'report')!)
            .sort((x, y) => x.at - y.at);
          expect(reports[0]).toMatchObject({ created: large[child], failed: 0 });
          expect(reports[1]).toMatchObject({ created: 0, updated: 0, unchanged: large[child], failed: 0 });
          const runs = await store.syncState.listRuns(`${target.integration}:${child}`);
          if (!runs.success) throw runs.error;
          const [first, second] = [...runs.data].sort((x, y) => x.startedAt - y.startedAt);
          expect(runs.data.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
          expect(second!.startedAt).toBeGreaterThanOrEqual(first!.finishedAt!);
          await expectConsistent(remote, store, large);
        } finally {
          await store.close();
          await remote.close();
        }
      },
      120_000,
    );
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
