// Property validation on writes. HubSpot refuses a write naming a property the object doesn't have, or a value a
// property can't hold, with a 400 `VALIDATION_ERROR` whose message embeds the per-property results as JSON:
// `Property values were not valid: [{"isValid":false,"message":"Property \"x\" does not exist","error":
// "PROPERTY_DOESNT_EXIST","name":"x",…}]` (bodies quoted in hubspot-net/HubSpot.NET #50 and hubspot-api-php #137;
// `INVALID_EMAIL` for a malformed contact e-mail). Numbers and booleans are accepted and stored as strings (the
// spec types every value as a string; HubSpot's own clients send them unquoted), null clears a value.

import { type HubSpotError, validationError } from './errors.ts';
import type { ObjectTypeDef } from './schema.ts';

/** One property's verdict, as HubSpot lists it in the message. */
export interface PropertyIssue {
  isValid: false;
  message: string;
  error: 'PROPERTY_DOESNT_EXIST' | 'INVALID_EMAIL' | 'INVALID_VALUE' | 'READ_ONLY_VALUE';
  name: string;
  localizedErrorMessage: string;
  portalId: number;
}

/** The outcome of {@link checkProperties}: the values to store, or the 400 to answer. */
export type PropertiesCheck =
  | { ok: true; properties: Record<string, string> }
  | { ok: false; error: HubSpotError };

// A pragmatic address check: something@something.tld, no spaces. HubSpot's own is stricter on odd characters.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The 400 HubSpot answers for the listed property issues. */
export function invalidProperties(issues: PropertyIssue[]): HubSpotError {
  return validationError(`Property values were not valid: ${JSON.stringify(issues)}`);
}

/**
 * Checks a write's `properties` against the type: each name must exist, values must be strings, numbers, booleans
 * or null, and a contact's `email` must look like an address (stored lowercase, as HubSpot stores it).
 */
export function checkProperties(def: ObjectTypeDef, raw: unknown, portalId: number): PropertiesCheck {
  if (raw === undefined) return { ok: true, properties: {} };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: validationError('Invalid input JSON: properties must be an object') };
  }
  const issues: PropertyIssue[] = [];
  const properties: Record<string, string> = {};
  const issue = (name: string, error: PropertyIssue['error'], message: string) =>
    issues.push({ isValid: false, message, error, name, localizedErrorMessage: message, portalId });
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!def.properties.has(name)) {
      issue(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
      continue;
    }
    if (value === null) {
      properties[name] = '';
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      issue(name, 'INVALID_VALUE', `${JSON.stringify(value)} is not a valid value for ${name}`);
      continue;
    }
    let text = String(value);
    if (def.objectTypeId === '0-1' && name === 'email' && text !== '') {
      text = text.trim().toLowerCase();
      if (!EMAIL.test(text)) {
        issue(name, 'INVALID_EMAIL', `Email address ${String(value)} is invalid`);
        continue;
      }
    }
    properties[name] = text;
  }
  return issues.length > 0 ? { ok: false, error: invalidProperties(issues) } : { ok: true, properties };
}
