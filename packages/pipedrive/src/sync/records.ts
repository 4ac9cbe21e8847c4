import * as z from 'zod/mini';

// Schemas are built in `/* @__PURE__ */` calls (a bundler keeps an unused top-level call unless told it has no
// side effects): a bundle of this entry without the sync (a client) drops them.
const externalId = /* @__PURE__ */ (() =>
  z.string().check(z.trim(), z.minLength(1, 'is required'), z.maxLength(255)))();
const optionalText = /* @__PURE__ */ (() => z.optional(z.nullable(z.string().check(z.trim()))))();
const name = /* @__PURE__ */ (() =>
  z.string().check(z.trim(), z.minLength(1, 'is required'), z.maxLength(500)))();

/** An organization of your application, as the sync takes it. */
export const organizationRecordSchema = /* @__PURE__ */ (() =>
  z.object({
    /** Your id, kept in the organization's external-id custom field (Pipedrive has no unique key of its own). */
    externalId,
    name,
  }))();

/** An organization to sync. */
export type OrganizationRecord = z.input<typeof organizationRecordSchema>;

/** A person of your application, as the sync takes it. */
export const personRecordSchema = /* @__PURE__ */ (() =>
  z.object({
    /** Your id, kept in the person's external-id custom field. */
    externalId,
    name,
    /** The primary email; missing or `null` leaves the person without one. */
    email: z.optional(
      // Trimmed first, like every other text field: a padded address is not refused as malformed.
      z.nullable(z.pipe(z.string().check(z.trim()), z.email({ error: 'must be an email address' }))),
    ),
    /** The primary phone; missing or `null` leaves the person without one. */
    phone: optionalText,
    /** Your id of the person's organization: created when Pipedrive lacks it, and linked (`org_id`). */
    organizationExternalId: optionalText,
    /** Name for an organization that has to be created; defaults to its external id. */
    organizationName: optionalText,
  }))();

/** A person to sync. */
export type PersonRecord = z.input<typeof personRecordSchema>;

/** A contact value (email, phone) as the sync writes it: one, primary, labelled `work`. */
export interface PipedriveSyncContact {
  value: string;
  primary: boolean;
  label: string;
}

/**
 * What the sync sends for one record, and hashes to tell a changed one: every field it owns, so an absent value
 * is sent as empty (`[]`, `null`) and a re-sync compares like with like. `custom` is by the client's names.
 */
export interface PipedriveSyncInput {
  name: string;
  emails?: PipedriveSyncContact[];
  phones?: PipedriveSyncContact[];
  org_id?: number | null;
  custom: Record<string, string>;
}

/** The client's name for the external-id custom field (the sync maps it onto the field the caller chose). */
export const EXTERNAL_ID_NAME = 'patchbayExternalId';

/** One primary contact value, or none. */
export const contactsOf = (value: string | null | undefined): PipedriveSyncContact[] =>
  value ? [{ value, primary: true, label: 'work' }] : [];

/** A remote's contact list in the sync's shape (the primary one first), for comparing with what would be sent. */
export function comparableContacts(list: unknown): PipedriveSyncContact[] {
  if (!Array.isArray(list)) return [];
  const contacts = list
    .filter((item): item is { value: string; primary?: unknown; label?: unknown } => {
      const value = (item as { value?: unknown } | null)?.value;
      return typeof value === 'string' && value !== '';
    })
    .map((item) => ({
      value: item.value,
      primary: item.primary === true,
      label: typeof item.label === 'string' ? item.label : 'work',
    }));
  return contacts.sort((a, b) => Number(b.primary) - Number(a.primary));
}
