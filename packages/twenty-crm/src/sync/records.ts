import * as z from 'zod/mini';
import type { CompanyInput } from '../company.ts';
import type { PersonInput } from '../person.ts';

// Schemas are built in `/* @__PURE__ */` calls (a bundler keeps an unused top-level call unless told it has no
// side effects): a bundle of this entry without the sync (a client) drops them (npm run check:edge).
const externalId = /* @__PURE__ */ (() =>
  z.string().check(z.trim(), z.minLength(1, 'is required'), z.maxLength(255)))();
const optionalText = /* @__PURE__ */ (() => z.optional(z.nullable(z.string().check(z.trim()))))();

/** A company of your application, as the sync takes it. */
export const companyRecordSchema = /* @__PURE__ */ (() =>
  z.object({
    externalId,
    name: z.string().check(z.trim(), z.minLength(1, 'is required')),
    website: z.optional(z.nullable(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }))),
  }))();

/** A company to sync: `externalId` is your id, kept in Twenty's unique `externalId` field. */
export type CompanyRecord = z.input<typeof companyRecordSchema>;

/** A person of your application, as the sync takes it. */
export const personRecordSchema = /* @__PURE__ */ (() =>
  z.object({
    externalId,
    /** Full name; split at the first space into Twenty's first and last name. */
    name: z.string().check(z.trim(), z.minLength(1, 'is required')),
    email: z.optional(z.nullable(z.email({ error: 'must be an email address' }))),
    /** Your id of the person's company; the company is created when Twenty does not have it yet. */
    companyExternalId: optionalText,
    /** Name for a company that has to be created; defaults to its external id. */
    companyName: optionalText,
  }))();

/** A person to sync. */
export type PersonRecord = z.input<typeof personRecordSchema>;

/** The Twenty custom field holding your ids. */
export const EXTERNAL_ID_FIELD = 'externalId';

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

const remoteText = /* @__PURE__ */ (() => z.optional(z.nullable(z.string())))();

// What the sync reads back from Twenty (the id, and what comparableFromRemote compares), in plain objects:
// the other fields of a record are neither parsed nor kept. Parsing whole loose records made response
// validation a quarter of a large sync's allocations.
// createdAt and updatedAt tell a batch upsert's creates from its updates: Twenty sets both to the same instant
// on insert and moves updatedAt on every update.
const remoteRecordShape = /* @__PURE__ */ (() => ({
  id: z.string(),
  [EXTERNAL_ID_FIELD]: remoteText,
  createdAt: remoteText,
  updatedAt: remoteText,
}))();

/** A person as the sync reads it back. */
export const remotePersonSchema = /* @__PURE__ */ (() =>
  z.object({
    ...remoteRecordShape,
    name: z.optional(z.nullable(z.object({ firstName: remoteText, lastName: remoteText }))),
    emails: z.optional(z.nullable(z.object({ primaryEmail: remoteText }))),
    companyId: remoteText,
  }))();

/** A company as the sync reads it back. */
export const remoteCompanySchema = /* @__PURE__ */ (() =>
  z.object({
    ...remoteRecordShape,
    name: remoteText,
    domainName: z.optional(z.nullable(z.object({ primaryLinkUrl: remoteText }))),
  }))();

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
