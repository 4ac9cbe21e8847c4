// What the sync benchmarks share: the emulator in its own process, its one-off setup, and checks that a run
// stored exactly what it was given.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { ApiResult } from '@patchbay/core';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { createTwentySync, type SyncReport } from '@patchbay/twenty-crm';
import type { EmulatorOptions, EmulatorRequest, EmulatorStats } from './emulator.ts';

/** Latency the emulator adds to every request: a nearby Twenty instance. */
export const LATENCY_MS = 20;

export const seconds = (ms: number) =>
  ms >= 60_000
    ? `${Math.floor(ms / 60_000)} min ${((ms % 60_000) / 1000).toFixed(0)} s`
    : `${(ms / 1000).toFixed(1)} s`;
export const met = (ok: boolean) => (ok ? 'met' : 'not met');

/** An emulator process and its controls. */
export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** Starts the Twenty emulator in its own process (so its work never shows in the measured process). */
export async function startEmulator(options: EmulatorOptions) {
  const child = fork(join(import.meta.dirname, 'emulator.ts'), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url, apiKey } = await new Promise<{ url: string; apiKey: string }>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited (${code})`)));
  });
  const pending = new Map<number, (stats: EmulatorStats) => void>();
  child.on('message', (message: { id?: number; stats?: EmulatorStats }) => {
    if (message.id === undefined || !message.stats) return;
    pending.get(message.id)?.(message.stats);
    pending.delete(message.id);
  });
  let nextId = 0;
  const ask = (op: EmulatorRequest['op']) =>
    new Promise<EmulatorStats>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      const request: EmulatorRequest = { id, op };
      child.send(request);
    });
  return {
    url,
    apiKey,
    stats: () => ask('stats'),
    reset: () => ask('reset'),
    resetCounters: () => ask('resetCounters'),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

/** Creates the unique externalId fields (metadata requests, once per workspace; not counted below). */
export async function setUp(emulator: Emulator): Promise<void> {
  const store = createSqliteStore({ path: ':memory:' });
  const ready = await createTwentySync({
    baseUrl: emulator.url,
    apiKey: emulator.apiKey,
    store,
    rateLimit: false,
  }).setup();
  await store.close();
  if (!ready.success) throw ready.error;
}

export function expectClean(label: string, reports: SyncReport[]): void {
  const failed = reports.reduce((sum, r) => sum + r.failed, 0);
  if (failed > 0)
    throw new Error(
      `${label}: ${failed} records failed: ${reports.flatMap((r) => r.failures)[0]?.error.message}`,
    );
}

export async function expectStored(
  label: string,
  emulator: Emulator,
  expected: { people: number; companies: number },
) {
  const stats = await emulator.stats();
  if (stats.people !== expected.people || stats.companies !== expected.companies) {
    throw new Error(
      `${label}: Twenty holds ${stats.people} people and ${stats.companies} companies, expected ${expected.people} and ${expected.companies}`,
    );
  }
  if (stats.duplicatePeople + stats.duplicateCompanies > 0)
    throw new Error(`${label}: duplicated externalIds`);
}

export async function unwrap(result: Promise<ApiResult<SyncReport>>): Promise<SyncReport> {
  const settled = await result;
  if (!settled.success) throw settled.error;
  return settled.data;
}
