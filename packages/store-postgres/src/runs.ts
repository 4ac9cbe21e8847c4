import { randomUUID } from 'node:crypto';
import { err, IntegrationError, ok, type SyncRun, type SyncStateStore } from '@patchbay/core';
import type { Database } from './database.ts';

interface RunRow {
  id: string;
  name: string;
  status: SyncRun['status'];
  started_at: Date;
  finished_at: Date | null;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  last_error_code: string | null;
}

const toRun = (row: RunRow): SyncRun => ({
  id: row.id,
  name: row.name,
  status: row.status,
  startedAt: row.started_at.getTime(),
  finishedAt: row.finished_at ? row.finished_at.getTime() : null,
  counts: { created: row.created, updated: row.updated, unchanged: row.unchanged, failed: row.failed },
  lastErrorCode: row.last_error_code,
});

/** The run log: one row per sync run, newest first by insertion order. */
export function createRuns(db: Database): Pick<SyncStateStore, 'startRun' | 'finishRun' | 'listRuns'> {
  const { runs } = db.tables;
  return {
    startRun: (name) =>
      db.run('syncState.startRun', async (sql) => {
        const [row] = await sql<RunRow[]>`
          insert into ${runs} (id, name, status, started_at) values (${randomUUID()}, ${name}, 'running', clock_timestamp())
          returning *`;
        return toRun(row!);
      }),

    async finishRun(id, outcome) {
      const { counts } = outcome;
      const finished = await db.run('syncState.finishRun', async (sql) => {
        const [row] = await sql<RunRow[]>`
          update ${runs} set status = ${outcome.status}, finished_at = clock_timestamp(),
            created = ${counts.created}, updated = ${counts.updated}, unchanged = ${counts.unchanged},
            failed = ${counts.failed}, last_error_code = ${outcome.lastErrorCode ?? null}
          where id = ${id} and status = 'running'
          returning *`;
        if (row) return toRun(row);
        // Nothing updated: tell "no such run" from "already finished".
        const [current] = await sql<{ status: string }[]>`select status from ${runs} where id = ${id}`;
        return current ? current.status : null;
      });
      if (!finished.success) return finished;
      if (finished.data === null) {
        return err(new IntegrationError('NOT_FOUND', `No sync run with id "${id}"`, { retryable: false }));
      }
      if (typeof finished.data === 'string') {
        return err(
          new IntegrationError('CONFLICT', `Sync run "${id}" has already finished (${finished.data})`, {
            retryable: false,
          }),
        );
      }
      return ok(finished.data);
    },

    async listRuns(name, options = {}) {
      const limit = options.limit ?? 20;
      if (!Number.isInteger(limit) || limit < 1) {
        return err(
          new IntegrationError('VALIDATION_ERROR', 'limit must be a positive integer', {
            field: 'limit',
            retryable: false,
          }),
        );
      }
      return db.run('syncState.listRuns', async (sql) => {
        const rows = await sql<RunRow[]>`
          select * from ${runs} where name = ${name} order by seq desc limit ${limit}`;
        return rows.map(toRun);
      });
    },
  };
}
