// Input checks every IntegrationStore adapter shares, so all of them refuse the same batches the same way,
// before a transaction starts: a bad entry anywhere means nothing of the batch is written.
import { type FieldIssue, IntegrationError } from './errors.ts';
import { type ApiResult, err, ok } from './result.ts';
import type { Mapping, MappingScope, OutboxEntry } from './store.ts';

const MAX_LISTED = 5;

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isNullableString = (value: unknown): boolean => value === null || typeof value === 'string';
// Epoch milliseconds are integers: SQL adapters store them in integer columns, which refuse fractions.
const isEpochMs = (value: unknown): boolean => Number.isSafeInteger(value);
const EPOCH_MS = 'must be an integer (epoch milliseconds)';

function failure(what: string, issues: FieldIssue[]): ApiResult<never> {
  const listed = issues.slice(0, MAX_LISTED).map((issue) => `${issue.field}: ${issue.message}`);
  if (issues.length > MAX_LISTED) listed.push(`and ${issues.length - MAX_LISTED} more`);
  return err(
    new IntegrationError('VALIDATION_ERROR', `Invalid ${what}: ${listed.join('; ')}`, {
      field: issues[0]?.field ?? '(root)',
      issues,
    }),
  );
}

/**
 * Checks a mapping scope: `integration` and `objectType` must be non-empty strings.
 * @example const checked = validateScope(scope); if (!checked.success) return checked;
 */
export function validateScope(scope: MappingScope): ApiResult<MappingScope> {
  const issues: FieldIssue[] = [];
  if (!isNonEmptyString(scope?.integration)) {
    issues.push({ field: 'scope.integration', message: 'must be a non-empty string' });
  }
  if (!isNonEmptyString(scope?.objectType)) {
    issues.push({ field: 'scope.objectType', message: 'must be a non-empty string' });
  }
  return issues.length === 0 ? ok(scope) : failure('mapping scope', issues);
}

// Both batch validators walk the same way: an array of objects, issues named `entries.<index>.<field>`,
// and the last entry per external id wins, as a sequence of upserts would. `order` says where a repeated
// id stands in the result: where it was first seen (mappings) or where it was last seen (outbox).
function validateBatch<T extends { externalId: string }>(
  label: string,
  entries: readonly T[],
  order: 'first-seen' | 'last-seen',
  check: (entry: T, at: string, issues: FieldIssue[]) => T,
): ApiResult<T[]> {
  if (!Array.isArray(entries)) return failure(label, [{ field: 'entries', message: 'must be an array' }]);
  const issues: FieldIssue[] = [];
  const byId = new Map<string, T>();
  entries.forEach((entry, index) => {
    const at = `entries.${index}`;
    if (typeof entry !== 'object' || entry === null) {
      issues.push({ field: at, message: 'must be an object' });
      return;
    }
    if (!isNonEmptyString(entry.externalId))
      issues.push({ field: `${at}.externalId`, message: 'must be a non-empty string' });
    if (!isNullableString((entry as { contentHash?: unknown }).contentHash ?? null)) {
      issues.push({ field: `${at}.contentHash`, message: 'must be a string or null' });
    }
    if (order === 'last-seen') byId.delete(entry.externalId);
    byId.set(entry.externalId, check(entry, at, issues));
  });
  return issues.length === 0 ? ok([...byId.values()]) : failure(label, issues);
}

/**
 * Checks every mapping of a batch (ids non-empty strings, `contentHash` a string or null, `syncedAt` an
 * integer) and keeps the last entry per external id, as a sequence of upserts would. Issues name the
 * index and field, never the value.
 * @example const batch = validateMappingBatch(entries); if (batch.success) write(batch.data);
 */
export function validateMappingBatch(entries: readonly Mapping[]): ApiResult<Mapping[]> {
  return validateBatch('mappings', entries, 'first-seen', (entry, at, issues) => {
    if (!isNonEmptyString(entry.remoteId))
      issues.push({ field: `${at}.remoteId`, message: 'must be a non-empty string' });
    if (!isEpochMs(entry.syncedAt)) issues.push({ field: `${at}.syncedAt`, message: EPOCH_MS });
    return {
      externalId: entry.externalId,
      remoteId: entry.remoteId,
      contentHash: entry.contentHash ?? null,
      syncedAt: entry.syncedAt,
    };
  });
}

/**
 * Checks every outbox entry of a batch, like {@link validateMappingBatch}; the last entry per external id wins.
 * @example const batch = validateOutboxBatch(entries); if (!batch.success) return batch;
 */
export function validateOutboxBatch(entries: readonly OutboxEntry[]): ApiResult<OutboxEntry[]> {
  return validateBatch('outbox entries', entries, 'last-seen', (entry, at, issues) => {
    if (!isNonEmptyString(entry.operation))
      issues.push({ field: `${at}.operation`, message: 'must be a non-empty string' });
    if (!isEpochMs(entry.createdAt)) issues.push({ field: `${at}.createdAt`, message: EPOCH_MS });
    return {
      externalId: entry.externalId,
      operation: entry.operation,
      contentHash: entry.contentHash ?? null,
      createdAt: entry.createdAt,
    };
  });
}

/**
 * Checks a list of external ids (strings; an empty one simply matches nothing) and drops duplicates.
 * @example const ids = validateExternalIds(externalIds); if (!ids.success) return ids;
 */
export function validateExternalIds(externalIds: readonly string[]): ApiResult<string[]> {
  if (!Array.isArray(externalIds))
    return failure('external ids', [{ field: 'externalIds', message: 'must be an array' }]);
  const issues: FieldIssue[] = [];
  externalIds.forEach((id, index) => {
    if (typeof id !== 'string') issues.push({ field: `externalIds.${index}`, message: 'must be a string' });
  });
  return issues.length === 0 ? ok([...new Set(externalIds)]) : failure('external ids', issues);
}

/**
 * Checks a lease request: a non-empty name and owner, and a TTL that is a positive integer of milliseconds.
 * @example const checked = validateLeaseRequest(name, { owner, ttlMs }); if (!checked.success) return checked;
 */
export function validateLeaseRequest(
  name: string,
  options: { owner?: string; ttlMs: number },
): ApiResult<void> {
  const issues: FieldIssue[] = [];
  if (!isNonEmptyString(name)) issues.push({ field: 'name', message: 'must be a non-empty string' });
  if ('owner' in (options ?? {}) && !isNonEmptyString(options.owner)) {
    issues.push({ field: 'owner', message: 'must be a non-empty string' });
  }
  if (!Number.isSafeInteger(options?.ttlMs) || options.ttlMs <= 0) {
    issues.push({ field: 'ttlMs', message: 'must be a positive integer (milliseconds)' });
  }
  return issues.length === 0 ? ok(undefined) : failure('lease request', issues);
}
