// Record input validation and normalization, as Twenty's data-arg processor does it before a write
// (twenty-server `engine/api/common/common-args-processors/data-arg-processor/data-arg-processor.service.ts` and its
// `validator-utils/` and `transformer-utils/`; e-mails and links are canonicalized by
// `core-modules/record-transformer/utils/transform-emails-value.util.ts` / `transform-links-value.util.ts`).

import { badRequest, inspect } from './errors.ts';
import { COMPOSITE_TYPES, type FieldDef, type FieldType, type ObjectDef } from './schema.ts';

/** A stored record: scalar fields, composite fields as nested objects, relations as their join column. */
export type TwentyRecord = { id: string } & Record<string, unknown>;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Twenty's `isValidUuid` accepts any RFC 4122 layout (its own seed ids are not v4). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

const DATA = 'INVALID_ARGS_DATA';

// Labels Twenty's composite validators use in "Invalid subfield x for <label> field" messages.
const COMPOSITE_LABELS: Partial<Record<FieldType, string>> = {
  FULL_NAME: 'full name',
  EMAILS: 'emails',
  PHONES: 'phones',
  LINKS: 'links',
  CURRENCY: 'currency',
  ADDRESS: 'address',
  ACTOR: 'actor',
};

/**
 * twenty-shared `canonicalizeEmail`: trims, lowercases, maps ideographic dots, drops trailing dots and converts the
 * domain to its ASCII (punycode) form.
 */
export function canonicalizeEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at === -1) return trimmed.toLowerCase();
  const local = trimmed.slice(0, at).toLowerCase();
  const domain = trimmed
    .slice(at + 1)
    .replace(/[\u3002\uff0e\uff61]/g, '.')
    .replace(/\.+$/, '')
    .toLowerCase();
  if (/[/\\?#:@\s]/.test(domain)) return `${local}@${domain}`;
  try {
    return `${local}@${new URL(`https://${domain}`).hostname.replace(/\.+$/, '')}`;
  } catch {
    return `${local}@${domain}`;
  }
}

/**
 * twenty-shared `lowercaseUrlOriginAndRemoveTrailingSlash`: lowercases scheme and host of an http(s) URL and drops
 * one trailing slash; anything else (no scheme, other schemes, unparsable) is kept as is.
 */
export function canonicalizeUrl(rawUrl: string): string {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return rawUrl;
  }
  if (url.origin === 'null' || (url.protocol !== 'http:' && url.protocol !== 'https:')) return rawUrl;
  const protocolIndex = rawUrl.indexOf('://');
  if (protocolIndex === -1) return rawUrl;
  let endOfHost = rawUrl.length;
  for (const marker of ['/', '\\', '?', '#']) {
    const index = rawUrl.indexOf(marker, protocolIndex + 3);
    if (index !== -1) endOfHost = Math.min(endOfHost, index);
  }
  return (url.origin.toLowerCase() + rawUrl.substring(endOfHost)).replace(/\/$/, '');
}

function validateText(value: unknown, key: string): string | null {
  if (typeof value !== 'string' && value !== null) {
    throw badRequest(`Invalid string value ${inspect(value)} for text field "${key}"`, DATA);
  }
  return value;
}

function validateNumber(value: unknown, key: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw badRequest(`Invalid number value ${inspect(value)} for field "${key}"`, DATA);
  }
  return value;
}

function validateNumeric(value: unknown, key: string): number | null {
  // NUMERIC columns accept numbers and numeric strings (transform-numeric-field.util.ts).
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return validateNumber(value, key);
}

function validateBoolean(value: unknown, key: string): boolean | null {
  if (typeof value !== 'boolean' && value !== null) {
    throw badRequest(`Invalid boolean value ${inspect(value)} for field "${key}"`, DATA);
  }
  return value;
}

function validateUuidField(value: unknown, key: string): string | null {
  if (value === null) return null;
  if (!isUuid(value)) throw badRequest(`Invalid UUID value ${inspect(value)} for field "${key}"`, DATA);
  return value.toLowerCase();
}

function validateDateTime(value: unknown, key: string): string | null {
  if (value === null) return null;
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    throw badRequest(`Invalid date time value ${inspect(value)} for field "${key}"`, DATA);
  }
  return new Date(time).toISOString();
}

function validateDate(value: unknown, key: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) {
    throw badRequest(`Invalid date value ${inspect(value)} for field "${key}"`, DATA);
  }
  return value.slice(0, 10);
}

function validateStringArray(value: unknown, key: string): string[] | null {
  if (value === null) return null;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw badRequest(`Invalid array value ${inspect(value)} for field "${key}"`, DATA);
  }
  return value;
}

function validateRawJson(value: unknown, key: string): unknown {
  if (value === null) return null;
  if (typeof value !== 'object') {
    throw badRequest(`Invalid object value ${inspect(value)} for field "${key}"`, DATA);
  }
  return value;
}

function optionValues(def: FieldDef): string[] {
  return (def.options ?? []).map((option) => option.value);
}

function validateSelect(value: unknown, def: FieldDef, key: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !optionValues(def).includes(value)) {
    throw badRequest(`Invalid value ${inspect(value)} for select field "${key}"`, DATA);
  }
  return value;
}

function validateMultiSelect(value: unknown, def: FieldDef, key: string): string[] | null {
  if (value === null) return null;
  const allowed = optionValues(def);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && allowed.includes(item))) {
    throw badRequest(`Invalid value ${inspect(value)} for multi-select field "${key}"`, DATA);
  }
  return value.length === 0 ? null : value;
}

function validatePosition(value: unknown, key: string): number | 'first' | 'last' | null {
  if (value === 'first' || value === 'last') return value;
  return validateNumber(value, key);
}

// Validates a composite value's sub-fields; returns only the sub-fields given (a partial update keeps the others).
function validateComposite(value: unknown, def: FieldDef, key: string): Record<string, unknown> | null {
  if (value === null) return null;
  const label = COMPOSITE_LABELS[def.type] ?? def.type.toLowerCase();
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`Invalid object value ${inspect(value)} for field "${key}"`, DATA);
  }
  const subFields = COMPOSITE_TYPES[def.type] ?? [];
  const result: Record<string, unknown> = {};
  for (const [subName, subValue] of Object.entries(value)) {
    const sub = subFields.find((candidate) => candidate.name === subName);
    if (!sub) throw badRequest(`Invalid subfield ${subName} for ${label} field "${key}"`, DATA);
    if (subValue === undefined) continue;
    const path = `${key}.${subName}`;
    switch (sub.type) {
      case 'TEXT':
        result[subName] = validateText(subValue, path);
        break;
      case 'NUMERIC':
        result[subName] = validateNumeric(subValue, path);
        break;
      case 'UUID':
        result[subName] = validateUuidField(subValue, path);
        break;
      case 'RAW_JSON':
        result[subName] = validateRawJson(subValue, path);
        break;
    }
  }
  return result;
}

function transformEmails(value: Record<string, unknown> | null): Record<string, unknown> | null {
  if (value === null) return null;
  // transform-emails-value.util.ts: an absent or empty primaryEmail becomes null (so a partial update that only
  // sends additionalEmails clears the primary e-mail, as in Twenty).
  const primary =
    typeof value.primaryEmail === 'string' && value.primaryEmail !== '' ? value.primaryEmail : null;
  const canonical = primary === null ? null : canonicalizeEmail(primary);
  const result: Record<string, unknown> = { primaryEmail: canonical === '' ? null : canonical };
  if (value.additionalEmails !== undefined) {
    const additional = value.additionalEmails;
    result.additionalEmails =
      Array.isArray(additional) && additional.length > 0
        ? additional.map((email) => (typeof email === 'string' ? canonicalizeEmail(email) : email))
        : null;
  }
  return result;
}

function transformLinks(value: Record<string, unknown> | null): Record<string, unknown> | null {
  if (value === null) return null;
  const result = { ...value };
  if (typeof value.primaryLinkUrl === 'string') result.primaryLinkUrl = canonicalizeUrl(value.primaryLinkUrl);
  if (Array.isArray(value.secondaryLinks)) {
    result.secondaryLinks = value.secondaryLinks
      .filter((link) => link && typeof link === 'object' && (link as { url?: unknown }).url)
      .map((link) => {
        const entry = link as { url?: unknown; label?: unknown };
        return { ...entry, url: typeof entry.url === 'string' ? canonicalizeUrl(entry.url) : entry.url };
      });
  }
  return result;
}

function relationValue(value: unknown, def: FieldDef, key: string): string | null {
  if (def.relation?.kind === 'ONE_TO_MANY') {
    throw badRequest(`One-to-many relation ${key} field does not support write operations.`, DATA);
  }
  if (value === null) return null;
  if (value && typeof value === 'object') {
    const operation = value as { connect?: { where?: { id?: unknown } }; disconnect?: unknown };
    if (operation.disconnect === true) return null;
    if (operation.connect?.where && 'id' in operation.connect.where) {
      return validateUuidField(operation.connect.where.id, def.relation!.joinColumn);
    }
  }
  throw badRequest(`Relation "${key}" requires connect or disconnect operation`, DATA);
}

/** The value one field takes from a client's input (throws Twenty's 400 on a bad value). */
function normalizeField(def: FieldDef, key: string, value: unknown): unknown {
  if (key === 'id') {
    if (!isUuid(value)) throw badRequest(`'${String(value)}' is not a valid UUID`, 'INVALID_QUERY_INPUT');
    return value.toLowerCase();
  }
  switch (def.type) {
    case 'UUID':
      return validateUuidField(value, key);
    case 'TEXT':
      return validateText(value, key);
    case 'NUMBER':
      return validateNumber(value, key);
    case 'RATING':
      // RATING values are option values ('RATING_1'…), validated like a select.
      return validateSelect(value, def, key);
    case 'NUMERIC':
      return validateNumeric(value, key);
    case 'POSITION':
      return validatePosition(value, key);
    case 'BOOLEAN':
      return validateBoolean(value, key);
    case 'DATE_TIME':
      return validateDateTime(value, key);
    case 'DATE':
      return validateDate(value, key);
    case 'SELECT':
      return validateSelect(value, def, key);
    case 'MULTI_SELECT':
      return validateMultiSelect(value, def, key);
    case 'ARRAY':
      return validateStringArray(value, key);
    case 'RAW_JSON':
      return validateRawJson(value, key);
    case 'EMAILS':
      return transformEmails(validateComposite(value, def, key));
    case 'LINKS':
      return transformLinks(validateComposite(value, def, key));
    case 'FULL_NAME':
    case 'PHONES':
    case 'CURRENCY':
    case 'ADDRESS':
    case 'ACTOR':
      return validateComposite(value, def, key);
    case 'RELATION':
      return relationValue(value, def, key);
  }
}

/**
 * Validates and normalizes one record input (create or update). Keys are field names or join columns
 * (`companyId`); relation fields given by name (`company`) need a connect/disconnect operation. Returns the
 * record's new values keyed by field name or join column; composite values hold only the sub-fields given.
 * @throws TwentyError (400) as Twenty's data-arg processor answers.
 */
export function normalizeRecordInput(
  object: ObjectDef,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const normalized: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const byName = object.fieldsByName.get(key);
    const def = byName ?? object.joinColumns.get(key);
    if (!def) {
      throw badRequest(`Object ${object.nameSingular} doesn't have any "${key}" field.`, DATA);
    }
    if (value === null && !def.isNullable && (def.defaultValue === null || def.defaultValue === undefined)) {
      throw badRequest(`Field ${key} is not nullable and has no default value.`, DATA);
    }
    if (value === undefined) continue;
    if (def.type === 'RELATION' && byName) {
      normalized[def.relation!.joinColumn] = relationValue(value, def, key);
    } else if (def.type === 'RELATION') {
      normalized[key] = validateUuidField(value, key);
    } else {
      normalized[key] = normalizeField(def, key, value);
    }
  }
  return normalized;
}

/** The full value of a composite field from a partial one (missing sub-fields take `base` or their default). */
export function completeComposite(
  def: FieldDef,
  partial: Record<string, unknown> | null,
  base?: Record<string, unknown> | null,
): Record<string, unknown> {
  const subFields = COMPOSITE_TYPES[def.type] ?? [];
  const result: Record<string, unknown> = {};
  for (const sub of subFields) {
    if (partial === null) result[sub.name] = null;
    else if (partial[sub.name] !== undefined) result[sub.name] = partial[sub.name];
    else if (base && base[sub.name] !== undefined) result[sub.name] = base[sub.name];
    else result[sub.name] = copyDefault(sub.defaultValue);
  }
  return result;
}

/** The value a field has on a new record when the client omits it. */
export function defaultValueOf(def: FieldDef): unknown {
  if (COMPOSITE_TYPES[def.type]) return completeComposite(def, {});
  return copyDefault(def.defaultValue ?? null);
}

// Defaults are JSON values; only objects need copying (structuredClone costs more than the whole record build).
function copyDefault(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? JSON.parse(JSON.stringify(value)) : value;
}
