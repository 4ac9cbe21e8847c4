import * as z from 'zod/mini';

// Schemas are built in `/* @__PURE__ */` calls (a bundler keeps an unused top-level call unless told it has no
// side effects): a bundle of this entry without the sync (a client) drops them.
const externalId = /* @__PURE__ */ (() =>
  z.string().check(z.trim(), z.minLength(1, 'is required'), z.maxLength(255)))();
const optionalText = /* @__PURE__ */ (() => z.optional(z.nullable(z.string().check(z.trim()))))();

/** A company of your application, as the sync takes it. */
export const companyRecordSchema = /* @__PURE__ */ (() =>
  z.object({
    /** Your id, kept in the company's custom unique property (HubSpot's `domain` is not unique). */
    externalId,
    name: z.string().check(z.trim(), z.minLength(1, 'is required')),
    domain: optionalText,
    website: optionalText,
    phone: optionalText,
  }))();

/** A company to sync; `null` clears a value in HubSpot, a missing field leaves it as it is. */
export type CompanyRecord = z.input<typeof companyRecordSchema>;

const contactFields = /* @__PURE__ */ (() => ({
  email: z.email({ error: 'must be an email address' }),
  /** Full name, split at the first space into first and last name unless those are given. */
  name: optionalText,
  firstName: optionalText,
  lastName: optionalText,
  phone: optionalText,
  /** Your id of the contact's company: created when HubSpot lacks it, and associated with the contact. */
  companyExternalId: optionalText,
  /** Name for a company that has to be created; defaults to its external id. */
  companyName: optionalText,
}))();

/** A contact keyed by its email (HubSpot's own unique property): `externalId` is not needed and not read. */
export const contactByEmailSchema = /* @__PURE__ */ (() =>
  z.object({ externalId: z.optional(z.string()), ...contactFields }))();

/** A contact keyed by your id, kept in a custom unique property. */
export const contactByIdSchema = /* @__PURE__ */ (() => z.object({ externalId, ...contactFields }))();

/** A contact to sync: `externalId` is required when contacts are keyed by a custom property. */
export type ContactRecord = z.input<typeof contactByEmailSchema>;

/** What the sync sends for one record (and hashes to tell a changed record): properties and the association. */
export interface HubSpotSyncInput {
  /** Property values as HubSpot stores them: text, `''` to clear. */
  properties: Record<string, string>;
  /** The remote id of the record to associate with (a contact's company); `null` for none. */
  associate?: string | null;
}

/** A record as `find` returns it: HubSpot's record plus the ids it is associated with, when the type has any. */
export interface HubSpotFoundRecord {
  id: string;
  properties: Record<string, string | null | undefined>;
  associated?: readonly string[];
}

/** HubSpot stores emails in lower case: keys and hashes use the same form. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Copies the given values: text trimmed, `null` as `''` (clears the property), missing ones left out. */
export function propertiesOf(values: Record<string, string | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    out[name] = value === null ? '' : value.trim();
  }
  return out;
}

/** First and last name: given ones win; else `name` split at the first space (a one-word name clears the last). */
export function namesOf(record: {
  name?: string | null | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
}): { firstname?: string | null; lastname?: string | null } {
  if (record.firstName !== undefined || record.lastName !== undefined || !record.name) {
    return { firstname: record.firstName, lastname: record.lastName };
  }
  const [first = '', ...rest] = record.name.trim().split(/\s+/);
  return { firstname: first, lastname: rest.join(' ') };
}

/**
 * The input a found record would have been sent as: its non-empty values of `names` and, for a type with an
 * association, the one record it is associated with (`null` for none; several never equal a single one, so
 * such a record is resent, which only adds the association again).
 */
export function comparableOf(
  remote: unknown,
  names: readonly string[],
  withAssociation: boolean,
): HubSpotSyncInput {
  const record = remote as HubSpotFoundRecord;
  const properties: Record<string, string> = {};
  for (const name of names) {
    const value = record?.properties?.[name];
    if (typeof value === 'string' && value !== '') properties[name] = value;
  }
  if (!withAssociation) return { properties };
  const associated = record?.associated ?? [];
  const associate = associated.length === 0 ? null : associated.length === 1 ? associated[0]! : associated;
  return { properties, associate: associate as string | null };
}
