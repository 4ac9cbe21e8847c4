import { invalidInput, readOptions } from './caller-input.ts';
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

const ROW_KEYS = [
  'id',
  'name',
  'status',
  'started_at',
  'finished_at',
  'created',
  'updated',
  'unchanged',
  'failed',
  'last_error_code',
] as const;

// A Date's time through Date.prototype.getTime, which checks the internal slot: a Proxy or a look-alike
// object is not taken for a Date, and nothing of it is read.
function epochMs(value: unknown): number {
  if (typeof value === 'number') return value;
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return Number.NaN;
  }
}

/**
 * A run-log row as the store contract's `SyncRun`, for SQL adapters. Throws only a `VALIDATION_ERROR` naming
 * `row` or the column whose read throws (a row that is not an object, a getter or Proxy that throws).
 * @example rows.map(syncRunFromRow)
 */
export function syncRunFromRow(row: SyncRunRow): SyncRun {
  const read = readOptions(row, ROW_KEYS, 'row');
  if (!read.success) throw read.error;
  if (row === undefined) throw invalidInput('row', 'must be an object, not undefined');
  const r = read.data as Partial<SyncRunRow>;
  const finishedAt = r.finished_at;
  return {
    id: r.id as string,
    name: r.name as string,
    status: r.status as SyncRun['status'],
    startedAt: epochMs(r.started_at),
    finishedAt: finishedAt === null || finishedAt === undefined ? null : epochMs(finishedAt),
    counts: {
      created: r.created as number,
      updated: r.updated as number,
      unchanged: r.unchanged as number,
      failed: r.failed as number,
    },
    lastErrorCode: r.last_error_code ?? null,
  };
}
