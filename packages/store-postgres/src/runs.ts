import { randomUUID } from 'node:crypto';
import { err, IntegrationError, ok } from '@patchbay/core';
import {
  type SyncRunRow,
  type SyncStateStore,
  syncRunFromRow,
  validateLimitOption,
  validateName,
  validateRunFinish,
} from '@patchbay/core/store';
import type { Database } from './database.ts';

/** The run log: one row per sync run, newest first by insertion order. */
export function createRuns(db: Database): Pick<SyncStateStore, 'startRun' | 'finishRun' | 'listRuns'> {
  const { runs } = db.tables;
  return {
    async startRun(nameValue) {
      const checked = validateName(nameValue, 'name');
      if (!checked.success) return checked;
      const name = checked.data;
      return db.run('syncState.startRun', async (sql) => {
        const [row] = await sql<SyncRunRow[]>`
          insert into ${runs} (id, name, status, started_at) values (${randomUUID()}, ${name}, 'running', clock_timestamp())
          returning *`;
        return syncRunFromRow(row!);
      });
    },

    async finishRun(idValue, outcomeValue) {
      const checked = validateRunFinish(idValue, outcomeValue);
      if (!checked.success) return checked;
      const { id, outcome } = checked.data;
      const { counts } = outcome;
      const finished = await db.run('syncState.finishRun', async (sql) => {
        const [row] = await sql<SyncRunRow[]>`
          update ${runs} set status = ${outcome.status}, finished_at = clock_timestamp(),
            created = ${counts.created}, updated = ${counts.updated}, unchanged = ${counts.unchanged},
            failed = ${counts.failed}, last_error_code = ${outcome.lastErrorCode}
          where id = ${id} and status = 'running'
          returning *`;
        if (row) return syncRunFromRow(row);
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

    async listRuns(nameValue, options) {
      const checked = validateName(nameValue, 'name');
      if (!checked.success) return checked;
      const name = checked.data;
      const limitOption = validateLimitOption(options, 'limit', 20);
      if (!limitOption.success) return limitOption;
      const limit = limitOption.data;
      return db.run('syncState.listRuns', async (sql) => {
        const rows = await sql<SyncRunRow[]>`
          select * from ${runs} where name = ${name} order by seq desc limit ${limit}`;
        return rows.map(syncRunFromRow);
      });
    },
  };
}
