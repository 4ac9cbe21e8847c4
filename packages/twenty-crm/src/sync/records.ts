import {
  describeType,
  type FieldIssue,
  IntegrationError,
  isArraySafe,
  isObjectLike,
  readProperty,
  validateSchema,
} from '@patchbay/core';
import * as z from 'zod/mini';
import type { CompanyInput } from './company.ts';
import type { PersonInput } from './person.ts';

const externalId = z.string().check(z.trim(), z.minLength(1, 'is required'), z.maxLength(255));
const optionalText = z.optional(z.nullable(z.string().check(z.trim())));

/** A company of your application, as the sync takes it. */
export const companyRecordSchema = z.object({
  externalId,
  name: z.string().check(z.trim(), z.minLength(1, 'is required')),
  website: z.optional(z.nullable(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }))),
});

/** A company to sync: `externalId` is your id, kept in Twenty's unique `externalId` field. */
export type CompanyRecord = z.input<typeof companyRecordSchema>;

/** A person of your application, as the sync takes it. */
export const personRecordSchema = z.object({
  externalId,
  /** Full name; split at the first space into Twenty's first and last name. */
  name: z.string().check(z.trim(), z.minLength(1, 'is required')),
  email: z.optional(z.nullable(z.email({ error: 'must be an email address' }))),
  /** Your id of the person's company; the company is created when Twenty does not have it yet. */
  companyExternalId: optionalText,
  /** Name for a company that has to be created; defaults to its external id. */
  companyName: optionalText,
});

/** A person to sync. */
export type PersonRecord = z.input<typeof personRecordSchema>;

/** The Twenty custom field holding your ids. */
export const EXTERNAL_ID_FIELD = 'externalId';

const RECORD_FIELDS = {
  person: ['externalId', 'name', 'email', 'companyExternalId', 'companyName'],
  company: ['externalId', 'name', 'website'],
} as const;

/** A record as the sync read it: its validated copy, or why not, with a label to report it by. */
export type ReadRecord =
  | { ok: true; externalId: string; record: Record<string, unknown> }
  | { ok: false; label: string; error: IntegrationError };

/**
 * Reads a caller's record once, field by field, into a plain copy and validates that: a getter or Proxy that
 * throws, a Symbol, a BigInt, an object without a prototype, or no object at all is a `VALIDATION_ERROR` naming
 * the field, reported under the record's `externalId` when that is a usable string, else under `#position`.
 * @example const read = await readSyncRecord('person', candidate, 12);
 */
export async function readSyncRecord(
  kind: 'person' | 'company',
  candidate: unknown,
  position: number,
): Promise<ReadRecord> {
  const fallback = `#${position}`;
  if (typeof candidate !== 'object' || candidate === null || isArraySafe(candidate)) {
    return invalid(kind, fallback, [
      { field: '(root)', message: `must be an object, not ${describeType(candidate)}` },
    ]);
  }
  const copy: Record<string, unknown> = {};
  const unreadable: FieldIssue[] = [];
  for (const key of RECORD_FIELDS[kind]) {
    const read = readProperty(candidate, key, key);
    if (!read.success)
      unreadable.push({ field: key, message: 'could not be read (a getter or Proxy threw)' });
    // Every field is text: anything else is refused here by its type alone, so zod below only ever sees
    // primitives (it would read an object, and a Proxy's traps could throw from inside it).
    else if (isObjectLike(read.data) || typeof read.data === 'symbol' || typeof read.data === 'bigint') {
      unreadable.push({ field: key, message: `must be a string, not ${describeType(read.data)}` });
    } else copy[key] = read.data;
  }
  const id = copy.externalId;
  const label = typeof id === 'string' && id.trim().length > 0 && id.length <= 255 ? id.trim() : fallback;
  if (unreadable.length > 0) return invalid(kind, label, unreadable);
  // Only the copy is validated: zod never touches the caller's object, and the copy holds primitives only.
  const checked = await validateSchema(kind === 'person' ? personRecordSchema : companyRecordSchema, copy);
  if (!checked.success) return invalid(kind, label, checked.issues, checked.summary);
  const record = checked.value as Record<string, unknown>;
  return { ok: true, externalId: record.externalId as string, record };
}

function invalid(kind: string, label: string, issues: FieldIssue[], summary?: string): ReadRecord {
  const text = summary ?? issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  return {
    ok: false,
    label,
    error: new IntegrationError('VALIDATION_ERROR', `Invalid ${kind} ${label}: ${text}`, {
      field: issues[0]?.field ?? '(root)',
      issues,
      retryable: false,
    }),
  };
}

// Twenty lowercases email addresses and link origins and drops a trailing slash: normalizing the same way
// keeps content hashes of unchanged records equal to what a re-read from Twenty would give.
const normalizeEmail = (email: string | null | undefined) => (email ? email.trim().toLowerCase() : null);
const normalizeUrl = (url: string | null | undefined) => {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return `${parsed.origin}${parsed.pathname === '/' ? '' : parsed.pathname.replace(/\/+$/, '')}${parsed.search}`;
  } catch {
    return url.trim();
  }
};

/** The Twenty input for a validated company record. */
export function companyInput(
  record: z.output<typeof companyRecordSchema>,
): CompanyInput & { externalId: string } {
  return {
    [EXTERNAL_ID_FIELD]: record.externalId,
    name: record.name,
    domainName: { primaryLinkUrl: normalizeUrl(record.website) },
  } as CompanyInput & { externalId: string };
}

/** The Twenty input for a validated person record, linked to `companyId` when known. */
export function personInput(
  record: z.output<typeof personRecordSchema>,
  companyId: string | null,
): PersonInput & { externalId: string } {
  const [firstName = '', ...rest] = record.name.split(/\s+/);
  return {
    [EXTERNAL_ID_FIELD]: record.externalId,
    name: { firstName, lastName: rest.join(' ') },
    emails: { primaryEmail: normalizeEmail(record.email) },
    companyId,
  } as PersonInput & { externalId: string };
}

const remoteText = z.optional(z.nullable(z.string()));

// What the sync reads back from Twenty (the id, and what comparableFromRemote compares), in plain objects:
// the other fields of a record are neither parsed nor kept. Parsing whole loose records made response
// validation a quarter of a large sync's allocations.
const remoteRecordShape = { id: z.string(), [EXTERNAL_ID_FIELD]: remoteText };

/** A person as the sync reads it back. */
export const remotePersonSchema = z.object({
  ...remoteRecordShape,
  name: z.optional(z.nullable(z.object({ firstName: remoteText, lastName: remoteText }))),
  emails: z.optional(z.nullable(z.object({ primaryEmail: remoteText }))),
  companyId: remoteText,
});

/** A company as the sync reads it back. */
export const remoteCompanySchema = z.object({
  ...remoteRecordShape,
  name: remoteText,
  domainName: z.optional(z.nullable(z.object({ primaryLinkUrl: remoteText }))),
});

/** The same shape built from a record read back from Twenty, to compare content without a write. */
export function comparableFromRemote(
  kind: 'person' | 'company',
  remote: Record<string, unknown>,
): Record<string, unknown> {
  if (kind === 'company') {
    const domain = remote.domainName as { primaryLinkUrl?: string | null } | null | undefined;
    return {
      [EXTERNAL_ID_FIELD]: remote[EXTERNAL_ID_FIELD],
      name: remote.name,
      domainName: { primaryLinkUrl: normalizeUrl(domain?.primaryLinkUrl) },
    };
  }
  const name = remote.name as { firstName?: string | null; lastName?: string | null } | null | undefined;
  const emails = remote.emails as { primaryEmail?: string | null } | null | undefined;
  return {
    [EXTERNAL_ID_FIELD]: remote[EXTERNAL_ID_FIELD],
    name: { firstName: name?.firstName ?? '', lastName: name?.lastName ?? '' },
    emails: { primaryEmail: normalizeEmail(emails?.primaryEmail) },
    companyId: (remote.companyId as string | null | undefined) ?? null,
  };
}
