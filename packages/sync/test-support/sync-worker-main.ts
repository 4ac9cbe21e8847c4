// The worker half of @patchbay/sync/testing's crash and multi-worker scenarios: a connector's worker script
// calls runSyncWorker with how to build its engine; this reads the spec startSyncWorker put in the environment,
// opens the store, syncs every type in order and prints one JSON line per event on stdout.
import { createInterface } from 'node:readline';
import type { IntegrationStore } from '@patchbay/core';
import { createPostgresStore } from '@patchbay/store-postgres';
import { createSqliteStore } from '@patchbay/store-sqlite';
import type { SyncProgress, SyncReport } from '@patchbay/sync';
import type { SyncContractEngine } from '@patchbay/sync/testing';
import type { SyncWorkerSpec } from './sync-worker-process.ts';

/** How a connector's worker builds its engine and its records. */
export interface SyncWorkerSetup {
  /** `onProgress` and `onSending` (call it when a write request leaves) must be wired into the engine. */
  createEngine(options: {
    url: string;
    store: IntegrationStore;
    batchSize: number;
    leaseOwner: string;
    onProgress: (progress: SyncProgress) => void;
    onSending: () => void;
  }): SyncContractEngine;
  /** The object types, parents first. */
  types: readonly string[];
  records(type: string, count: number, counts: Record<string, number>): unknown[];
}

const say = (event: string, details: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ event, at: Date.now(), ...details })}\n`);

/** Runs the worker and exits the process (0 when every type synced without a failure). */
export async function runSyncWorker(setup: SyncWorkerSetup): Promise<never> {
  const spec = JSON.parse(process.env.PATCHBAY_SYNC_WORKER ?? 'null') as SyncWorkerSpec | null;
  if (!spec)
    throw new Error('runSyncWorker: PATCHBAY_SYNC_WORKER is not set (start it with startSyncWorker)');
  const store =
    spec.store.kind === 'sqlite'
      ? createSqliteStore({ path: spec.store.path })
      : createPostgresStore({ connectionString: spec.store.url, schema: spec.store.schema, poolSize: 4 });
  let type = '';
  const engine = setup.createEngine({
    url: spec.url,
    store,
    batchSize: spec.batchSize,
    leaseOwner: spec.leaseOwner,
    onProgress: (progress) => say('progress', { type, processed: progress.processed }),
    onSending: () => say('sending', { type }),
  });
  say('ready');
  if (spec.waitForGo) {
    const lines = createInterface({ input: process.stdin });
    await new Promise<void>((resolve) => lines.once('line', () => resolve()));
    lines.close();
  }
  let failed = false;
  for (type of spec.types ?? setup.types) {
    say('started', { type });
    const result = await engine.upsertMany(type, setup.records(type, spec.counts[type] ?? 0, spec.counts));
    if (!result.success) {
      say('error', { type, code: result.error.code, message: result.error.message });
      failed = true;
      break;
    }
    say('report', { type, ...summary(result.data) });
    if (result.data.failed > 0) failed = true;
  }
  say('done', { failed });
  await store.close();
  process.exit(failed ? 1 : 0);
}

const summary = (report: SyncReport) => ({
  created: report.created,
  updated: report.updated,
  unchanged: report.unchanged,
  failed: report.failed,
  parentsCreated: report.parentsCreated,
  failures: report.failures.slice(0, 5).map((f) => `${f.externalId}: ${f.error.code} ${f.error.message}`),
});
