// Pieces every SQL adapter would otherwise write again: its mapping and lease rows as the contract's values
// (timestamps as epoch ms from SQLite or as a Date from PostgreSQL), and the input check of `renewLease`.
import { type ApiResult, ok } from '../result/result.ts';
import type { Lease, Mapping } from './store.ts';
import { validateLease, validateLimitOption } from './store-validation.ts';

const epochMs = (value: number | Date): number => (typeof value === 'number' ? value : value.getTime());

/** The mapping row every SQL adapter stores (snake_case columns; `synced_at` as epoch ms or Date). */
export interface MappingRow {
  external_id: string;
  remote_id: string;
  content_hash: string | null;
  synced_at: number | Date;
}

/**
 * A mapping row as the store contract's `Mapping`, for SQL adapters. The row comes from the adapter's own
 * query, so it is read as it is, without the checks of a caller's input.
 * @example rows.map(mappingFromRow)
 */
export const mappingFromRow = (row: MappingRow): Mapping => ({
  externalId: row.external_id,
  remoteId: row.remote_id,
  contentHash: row.content_hash,
  syncedAt: epochMs(row.synced_at),
});

/** The lease row every SQL adapter stores (`expires_at` as epoch ms or Date). */
export interface LeaseRow {
  name: string;
  owner: string;
  token: string;
  expires_at: number | Date;
}

/**
 * A lease row as the store contract's `Lease`, for SQL adapters; read as it is, like {@link mappingFromRow}.
 * @example return row ? leaseFromRow(row) : null;
 */
export const leaseFromRow = (row: LeaseRow): Lease => ({
  name: row.name,
  owner: row.owner,
  token: row.token,
  expiresAt: epochMs(row.expires_at),
});

/**
 * The arguments of `renewLease` checked and copied: the lease's name and token, and `options.ttlMs` (required, a
 * positive integer). A failure is the `VALIDATION_ERROR` naming the field, as the store answers it.
 * @example const checked = validateLeaseRenewal(lease, options); if (!checked.success) return checked;
 */
export function validateLeaseRenewal(
  lease: Lease,
  options: { ttlMs: number },
): ApiResult<{ lease: Pick<Lease, 'name' | 'token'>; ttlMs: number }> {
  const checkedLease = validateLease(lease);
  if (!checkedLease.success) return checkedLease;
  const ttlMs = validateLimitOption(options, 'ttlMs', Number.NaN);
  if (!ttlMs.success) return ttlMs;
  return ok({ lease: checkedLease.data, ttlMs: ttlMs.data });
}
