// The admin API's request bodies, derived from a connector's descriptor: its own fields, one field per
// credential (by name), its modes and its settings schema. Unknown fields are refused by name, values never
// quoted: a misspelt `apikey` would otherwise be a silent no-op, and a value could be a secret.
import { type Connector, type FieldIssue, httpUrl, syncModeName, validateSchema } from '@patchbay/core';
import * as z from 'zod/mini';
import { validationError } from './admin-http.ts';

/** A PUT's changes: an omitted field stays as saved, `null` clears it. Credentials by name. */
export interface ConfigUpdate {
  baseUrl?: string | null;
  credentials: Record<string, string | null>;
  enabled?: boolean;
  syncMode?: string;
  /** The new settings (the connector's settings schema's input), replacing the saved ones; `null` clears them. */
  settings?: Record<string, unknown> | null;
}

/** A connection test's overrides of the saved configuration. */
export interface TestOverrides {
  baseUrl?: string;
  credentials: Record<string, string>;
}

/** The longest credential an admin may send (characters); an API key or a client secret is far shorter. */
const MAX_CREDENTIAL_LENGTH = 4096;

// Schemas are built in `/* @__PURE__ */` calls (a bundler keeps an unused top-level call unless told it has no
// side effects): a bundle of this entry without the admin handler drops them (npm run check:edge).
const credentialInput = /* @__PURE__ */ (() =>
  z
    .string({ error: 'must be a string' })
    .check(
      z.trim(),
      z.minLength(1, 'must not be empty (omit it to keep the saved value, or send null to remove it)'),
      z.maxLength(MAX_CREDENTIAL_LENGTH, `must be at most ${MAX_CREDENTIAL_LENGTH} characters`),
    ))();

// Credentials in the URL (`https://user:key@host`) would be shown back by GET: they belong in their own fields.
const baseUrlInput = /* @__PURE__ */ (() =>
  httpUrl.check(
    z.refine((url) => {
      try {
        const parsed = new URL(url);
        return parsed.username === '' && parsed.password === '';
      } catch {
        return true;
      }
    }, 'must not contain credentials (send them as their own fields)'),
  ))();

const modeInput = (connector: Connector) => {
  const modes = connector.modes;
  if (!modes) return syncModeName;
  return z.enum(modes as [string, ...string[]], {
    error: (issue) => (issue.input === undefined ? undefined : `must be one of ${modes.join(', ')}`),
  });
};

const settingsInput = /* @__PURE__ */ (() =>
  z.record(z.string(), z.unknown(), { error: 'must be an object' }))();

/** The schema of a PUT body for `connector`. Internal. */
export function configBodySchema(connector: Connector) {
  const shape: Record<string, z.ZodMiniType> = {
    baseUrl: z.optional(z.nullable(baseUrlInput)),
    enabled: z.optional(z.boolean({ error: 'must be true or false' })),
    syncMode: z.optional(modeInput(connector)),
  };
  // Settings are editable only where the connector declares what they are.
  if (connector.settings) shape.settings = z.optional(z.nullable(settingsInput));
  for (const name of Object.keys(connector.credentials)) {
    shape[name] = z.optional(z.nullable(credentialInput));
  }
  return z.object(shape);
}

/** The schema of a connection test's body for `connector`: the base URL and credentials to try. Internal. */
export function testBodySchema(connector: Connector) {
  const shape: Record<string, z.ZodMiniType> = { baseUrl: z.optional(baseUrlInput) };
  for (const name of Object.keys(connector.credentials)) shape[name] = z.optional(credentialInput);
  return z.object(shape);
}

/**
 * A PUT body checked against the connector (settings through its settings schema), or a 400 naming every bad
 * field at once, settings ones included.
 */
export async function parseConfigBody(connector: Connector, body: unknown): Promise<ConfigUpdate | Response> {
  const checked = await checkBody(configBodySchema(connector), body);
  const raw = isObject(body) ? (body as Record<string, unknown>).settings : undefined;
  // Judged even when other fields failed, so that one answer names every bad field.
  const settingsProblems =
    connector.settings && isObject(raw) ? (await checkSettings(connector, raw)).issues : [];
  const issues = [...checked.issues, ...settingsProblems];
  if (issues.length > 0) return validationError(issues);
  const fields = checked.value as Record<string, unknown>;
  const { baseUrl, enabled, syncMode, settings } = fields;
  const credentials: Record<string, string | null> = {};
  for (const name of Object.keys(connector.credentials)) {
    if (fields[name] !== undefined) credentials[name] = fields[name] as string | null;
  }
  return {
    ...(baseUrl !== undefined && { baseUrl: baseUrl as string | null }),
    credentials,
    ...(enabled !== undefined && { enabled: enabled as boolean }),
    ...(syncMode !== undefined && { syncMode: syncMode as string }),
    ...(settings !== undefined && { settings: settings as Record<string, unknown> | null }),
  };
}

/** A connection test's body (absent: `{}`) checked against the connector, or a field-named 400. */
export async function parseTestBody(connector: Connector, body: unknown): Promise<TestOverrides | Response> {
  const checked = await checkBody(testBodySchema(connector), body ?? {});
  if (checked.issues.length > 0) return validationError(checked.issues);
  const { baseUrl, ...rest } = checked.value as Record<string, unknown>;
  const credentials: Record<string, string> = {};
  for (const name of Object.keys(connector.credentials)) {
    if (typeof rest[name] === 'string') credentials[name] = rest[name];
  }
  return { ...(typeof baseUrl === 'string' && { baseUrl }), credentials };
}

/**
 * `settings` through the connector's settings schema: its output (defaults applied), or the issues named
 * `settings.<path>`. Without a schema, the settings as they are.
 */
export async function checkSettings(
  connector: Connector,
  settings: unknown,
): Promise<{ value?: unknown; issues: FieldIssue[] }> {
  if (!connector.settings) return { value: settings, issues: [] };
  const result = await validateSchema(connector.settings, settings);
  if (result.success) return { value: result.value, issues: [] };
  // A schema that throws is the connector's bug: said as such, with nothing of what it threw.
  if (result.error)
    return { issues: [{ field: 'settings', message: "the connector's settings schema failed" }] };
  return {
    issues: result.issues.map((issue) => ({
      field: issue.field === '(root)' ? 'settings' : `settings.${issue.field}`,
      message: issue.message,
    })),
  };
}

const isObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The validated body, or its issues. Unknown fields are refused: `apikey` would be a silent no-op. */
async function checkBody(
  schema: z.ZodMiniObject,
  body: unknown,
): Promise<{ value?: unknown; issues: FieldIssue[] }> {
  if (!isObject(body)) return { issues: [{ field: '(root)', message: 'must be a JSON object' }] };
  const known = new Set(Object.keys(schema.def.shape));
  const unknown = Object.keys(body as object).filter((key) => !known.has(key));
  const checked = await validateSchema(schema, body);
  const issues = [
    ...(checked.success ? [] : checked.issues),
    ...unknown.map((field) => ({ field: field.slice(0, 100), message: 'unknown field' })),
  ];
  return checked.success && issues.length === 0 ? { value: checked.value, issues } : { issues };
}
