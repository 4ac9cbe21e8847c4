// The stores `bench/stores/run.ts` measures, one entry each. Add a store by appending a factory here; the
// run loops over whatever this returns, and each store gets its own rows in docs/benchmarks.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IntegrationStore } from '@patchbay/core';
import { createSqliteStore } from '@patchbay/store-sqlite';

/** One store under test; `open` gives a fresh, empty store, `cleanup` removes what it created. */
export interface BenchStoreFactory {
  /** Row label, e.g. "SQLite (file, WAL, synchronous=FULL)". */
  name: string;
  open(): Promise<{ store: IntegrationStore; cleanup(): Promise<void> }>;
}

/** A temporary SQLite file, removed (with its -wal and -shm) on cleanup. */
export const sqliteFactory: BenchStoreFactory = {
  name: 'SQLite (file, WAL, synchronous=FULL)',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'patchbay-bench-'));
    const store = createSqliteStore({ path: join(dir, 'bench.db') });
    return {
      store,
      async cleanup() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/**
 * Every store to measure. SQLite always runs; PostgreSQL when `PATCHBAY_BENCH_POSTGRES_URL` is set, or
 * when the local default server answers (imported dynamically, so the bench runs without it).
 */
export async function storeFactories(env: Record<string, string | undefined>): Promise<BenchStoreFactory[]> {
  const factories: BenchStoreFactory[] = [sqliteFactory];
  const { benchPostgresUrl, postgresFactory } = await import('./postgres-factory.ts');
  const postgresUrl = await benchPostgresUrl(env);
  if (postgresUrl) factories.push(postgresFactory(postgresUrl));
  return factories;
}
