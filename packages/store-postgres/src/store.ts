import type { ApiResult } from '@patchbay/core';
import {
  type IntegrationStore,
  type QueueStore,
  type SeenIdStore,
  type SyncStateStore,
  validateMappingBatch,
  validateScope,
} from '@patchbay/core/store';
import { createCheckpoints } from './checkpoints.ts';
import { createConfigRowStore } from './configs.ts';
import { createDatabase } from './database.ts';
import { createLeases } from './leases.ts';
import { createMappingStore, upsertMappings } from './mappings.ts';
import { type PostgresStoreOptions, resolveStoreOptions } from './options.ts';
import { createOutbox, deleteOutbox } from './outbox.ts';
import { createQueue } from './queue.ts';
import { createRuns } from './runs.ts';
import { createSeenIds } from './seen-ids.ts';

/** An IntegrationStore on PostgreSQL, shared safely by any number of processes. */
export interface PostgresStore extends IntegrationStore {
  /**
   * Connects and applies pending migrations now, instead of on the first call: lets a service fail fast
   * at startup. Every other method does this itself when needed.
   */
  ready(): Promise<ApiResult<{ schemaVersion: number }>>;
  /** Closes the pool; calls made afterwards fail with `OPERATION_FAILED`. */
  close(): Promise<void>;
  /** Seen webhook ids (table `seen_ids`): pass as `replay: { store: postgresStore.seenIds }` to a verifier. */
  readonly seenIds: SeenIdStore;
  /** Durable message queues (table `queue_messages`), shared by every process on the schema. */
  readonly queue: QueueStore;
}

/**
 * A store on a PostgreSQL server. Nothing connects until the first call (or `ready()`), which also runs
 * the schema's migrations under an advisory lock. Invalid options throw `CONFIG_ERROR` here; everything
 * else, database failures included, comes back as an ApiResult.
 * @example
 * const store = createPostgresStore({ connectionString: process.env.DATABASE_URL! });
 * const saved = await store.mappings.putMany({ integration: 'twenty-crm', objectType: 'person' }, mappings);
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const db = createDatabase(resolveStoreOptions(options));
  const syncState: SyncStateStore = {
    ...createCheckpoints(db),
    ...createRuns(db),
    ...createLeases(db),
    ...createOutbox(db),
  };
  return {
    mappings: createMappingStore(db),
    configs: createConfigRowStore(db),
    syncState,
    async commitMappings(scope, entries) {
      const checked = validateScope(scope);
      if (!checked.success) return checked;
      const batch = validateMappingBatch(entries);
      if (!batch.success) return batch;
      return db.transaction('commitMappings', async (tx) => {
        const written = await upsertMappings(tx, db.tables, checked.data, batch.data);
        await deleteOutbox(
          tx,
          db.tables,
          checked.data,
          batch.data.map((entry) => entry.externalId),
        );
        return { written };
      });
    },
    seenIds: createSeenIds(db),
    queue: createQueue(db),
    ready: db.ready,
    close: db.close,
  };
}
