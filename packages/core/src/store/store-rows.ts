import { invalidInput, readOptions } from '../input/caller-input.ts';
import type { StoredIntegrationConfig, SyncRun } from './store.ts';

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

/** The configuration row every SQL adapter stores (snake_case columns; JSON as text or parsed; times as epoch ms or Date). */
export interface IntegrationConfigRow {
  integration: string;
  base_url: string | null;
  /** JSON object of name → ciphertext. */
  secrets: string | Record<string, string>;
  enabled: number | boolean;
  sync_mode: string;
  /** JSON object. */
  settings: string | Record<string, unknown>;
  created_by: string | null;
  updated_by: string | null;
  created_at: number | Date;
  updated_at: number | Date;
}

const CONFIG_ROW_KEYS = [
  'integration',
  'base_url',
  'secrets',
  'enabled',
  'sync_mode',
  'settings',
  'created_by',
  'updated_by',
  'created_at',
  'updated_at',
] as const;

// A JSON column as the driver hands it: text (SQLite) or already parsed (PostgreSQL jsonb). The parser's own
// message is never passed on: it quotes the text, and the text may be a ciphertext.
function jsonColumn(value: unknown, column: string): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw invalidInput(`row.${column}`, 'must be JSON text');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidInput(`row.${column}`, 'must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/**
 * A configuration row as the store contract's `StoredIntegrationConfig`, for SQL adapters: JSON columns parsed
 * when they are text, `enabled` as a boolean (1/0 too), times as epoch milliseconds. Throws only a
 * `VALIDATION_ERROR` naming `row` or the column that cannot be read or parsed, never quoting its content.
 * @example return row ? integrationConfigFromRow(row) : null;
 */
export function integrationConfigFromRow(row: IntegrationConfigRow): StoredIntegrationConfig {
  const read = readOptions(row, CONFIG_ROW_KEYS, 'row');
  if (!read.success) throw read.error;
  if (row === undefined) throw invalidInput('row', 'must be an object, not undefined');
  const r = read.data as Partial<IntegrationConfigRow>;
  return {
    integration: r.integration as string,
    baseUrl: r.base_url ?? null,
    secrets: jsonColumn(r.secrets, 'secrets') as Record<string, string>,
    enabled: r.enabled === true || r.enabled === 1,
    syncMode: r.sync_mode as string,
    settings: jsonColumn(r.settings, 'settings'),
    createdBy: r.created_by ?? null,
    updatedBy: r.updated_by ?? null,
    createdAt: epochMs(r.created_at),
    updatedAt: epochMs(r.updated_at),
  };
}
