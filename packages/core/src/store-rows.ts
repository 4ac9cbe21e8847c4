import type { SyncRun } from './store.ts';

/** The run-log row every SQL adapter stores (snake_case columns; timestamps as epoch ms or Date). */
export interface SyncRunRow {
  id: string;
  name: string;
  status: SyncRun['status'];
  started_at: number | Date;
  finished_at: number | Date | null;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  last_error_code: string | null;
}

const epochMs = (value: number | Date): number => (value instanceof Date ? value.getTime() : value);

/**
 * A run-log row as the store contract's `SyncRun`, for SQL adapters.
 * @example rows.map(syncRunFromRow)
 */
export function syncRunFromRow(row: SyncRunRow): SyncRun {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    startedAt: epochMs(row.started_at),
    finishedAt: row.finished_at === null ? null : epochMs(row.finished_at),
    counts: { created: row.created, updated: row.updated, unchanged: row.unchanged, failed: row.failed },
    lastErrorCode: row.last_error_code,
  };
}
