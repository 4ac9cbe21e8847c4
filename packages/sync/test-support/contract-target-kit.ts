// What every connector's sync-contract target shares, whatever its vendor: the stores the contract runs on (memory,
// SQLite and PostgreSQL in fresh files and schemas, removed afterwards), and the reading of which faults an
// emulator of the kit fired (counters for statuses and transport faults, the `x-emulator-fault` reply header for
// the faults whose status looks normal). A target adds its emulator, its engine and its worker script.
import { join } from 'node:path';
import { createMemoryStore } from '@patchbay/core/store';
import { createPostgresStore } from '@patchbay/store-postgres';
import { createSqliteStore } from '@patchbay/store-sqlite';
import type { SyncContractFault, SyncContractTarget } from '@patchbay/sync/testing';
import { TEST_URL, unavailable } from '../../store-postgres/test-support/postgres.ts';
import { createScratch } from '../../store-postgres/test-support/scratch.ts';

/** The stores of a target, and the clean-up of every file and schema they made (call it in `afterAll`). */
export interface ContractStores extends Pick<SyncContractTarget, 'stores' | 'sqlite' | 'postgres'> {
  cleanUp(): Promise<void>;
}

/**
 * Memory, SQLite and PostgreSQL stores for the contract; PostgreSQL is skipped when unreachable, except on CI.
 * @example const stores = contractStores('patchbay-acme-contract-'); afterAll(stores.cleanUp);
 */
export function contractStores(prefix: string): ContractStores {
  const scratch = createScratch(prefix);
  const postgres = !(unavailable && process.env.CI !== 'true');
  return {
    cleanUp: () => scratch.cleanUp(),
    stores: [
      { name: 'memory', open: () => createMemoryStore() },
      { name: 'SQLite', open: () => createSqliteStore({ path: join(scratch.dir(), 'sync.db') }) },
      ...(postgres
        ? [
            {
              name: 'PostgreSQL',
              open: () => createPostgresStore({ connectionString: TEST_URL, schema: scratch.schema() }),
            },
          ]
        : []),
    ],
    sqlite: { path: () => join(scratch.dir(), 'crash.db'), open: (path) => createSqliteStore({ path }) },
    postgres: () => {
      if (!postgres) return undefined;
      const schema = scratch.schema();
      return {
        url: TEST_URL,
        schema,
        open: async () => createPostgresStore({ connectionString: TEST_URL, schema }),
      };
    },
  };
}

type Reply = Response | { kind: string };

/**
 * Wraps an emulator's handler to tally the faults its replies name in `x-emulator-fault`: counters alone cannot
 * tell a truncated body or a commit-then-fail from a normal answer with the same status.
 */
export function tallyFaults<R extends Reply>(
  handler: (request: Request) => Promise<R>,
): { handler: (request: Request) => Promise<R>; tally: Map<string, number> } {
  const tally = new Map<string, number>();
  return {
    tally,
    handler: async (request) => {
      const reply = await handler(request);
      const fault = 'kind' in reply ? null : (reply as Response).headers.get('x-emulator-fault');
      if (fault) tally.set(fault, (tally.get(fault) ?? 0) + 1);
      return reply;
    },
  };
}

/** How many of each contract fault fired: 503s, 429s, hangs and resets from the counters, the others tallied. */
export function faultsFired(
  counters: { count(filter: { outcome: number | string }): number },
  tally: ReadonlyMap<string, number>,
): Partial<Record<SyncContractFault, number>> {
  return {
    error: counters.count({ outcome: 503 }),
    'rate-limit': counters.count({ outcome: 429 }),
    hang: counters.count({ outcome: 'hang' }),
    reset: counters.count({ outcome: 'reset' }),
    malformed: tally.get('malformed') ?? 0,
    'commit-then-fail': tally.get('commit-then-fail') ?? 0,
  };
}
