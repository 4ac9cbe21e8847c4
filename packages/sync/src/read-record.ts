import {
  describeType,
  type FieldIssue,
  IntegrationError,
  isArraySafe,
  isObjectLike,
  readProperty,
  toJsonValue,
  validateSchema,
} from '@patchbay/core';
import type { SyncObject } from './sync-object.ts';

/**
 * A record as the sync read it: its validated copy, or why not, with a label to report it by. `copy` is the
 * plain data read off the caller's object, before validation: what can be read again as a caller's record.
 */
export type ReadRecord =
  | { ok: true; externalId: string; record: unknown; copy: Record<string, unknown> }
  | { ok: false; label: string; error: IntegrationError };

const MAX_EXTERNAL_ID_LENGTH = 255;

/**
 * Reads a caller's record once, field by field, into a plain copy and validates that: a getter or Proxy that
 * throws, a Symbol, a BigInt, a cycle, or no object at all is a `VALIDATION_ERROR` naming the field, reported
 * under the record's `externalId` when that is a usable string, else under `#position`.
 * @example const read = await readRecord(personObject, 'person', candidate, 12);
 */
export async function readRecord(
  object: SyncObject,
  type: string,
  candidate: unknown,
  position: number,
): Promise<ReadRecord> {
  const fallback = `#${position}`;
  if (typeof candidate !== 'object' || candidate === null || isArraySafe(candidate)) {
    return invalid(type, fallback, [
      { field: '(root)', message: `must be an object, not ${describeType(candidate)}` },
    ]);
  }
  const copy: Record<string, unknown> = {};
  const unreadable: FieldIssue[] = [];
  for (const key of object.fields) {
    const read = readProperty(candidate, key, key);
    if (!read.success) {
      unreadable.push({ field: key, message: 'could not be read (a getter or Proxy threw)' });
      continue;
    }
    const value = read.data;
    if (typeof value === 'symbol' || typeof value === 'bigint' || typeof value === 'function') {
      unreadable.push({ field: key, message: `must be plain data, not ${describeType(value)}` });
    } else if (isObjectLike(value)) {
      // A nested value is copied as JSON, so the schema below never reads the caller's object (a Proxy's
      // traps could throw from inside it); whatever makes it unreadable is reported on the field itself.
      const json = toJsonValue(value, { field: key });
      if (json.success) copy[key] = json.data;
      else unreadable.push({ field: key, message: json.error.message });
    } else copy[key] = value;
  }
  const id = copy.externalId;
  const label =
    typeof id === 'string' && id.trim().length > 0 && id.length <= MAX_EXTERNAL_ID_LENGTH
      ? id.trim()
      : fallback;
  if (unreadable.length > 0) return invalid(type, label, unreadable);
  const checked = await validateSchema(object.schema, copy);
  if (!checked.success) return invalid(type, label, checked.issues, checked.summary);
  const record = checked.value;
  let externalId: unknown;
  try {
    externalId = object.externalId(record);
  } catch {
    externalId = undefined;
  }
  if (typeof externalId !== 'string' || externalId === '') {
    return invalid(type, label, [{ field: 'externalId', message: 'is required' }]);
  }
  return { ok: true, externalId, record, copy };
}

function invalid(type: string, label: string, issues: FieldIssue[], summary?: string): ReadRecord {
  const text = summary ?? issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  return {
    ok: false,
    label,
    error: new IntegrationError('VALIDATION_ERROR', `Invalid ${type} ${label}: ${text}`, {
      field: issues[0]?.field ?? '(root)',
      issues,
      retryable: false,
    }),
  };
}
