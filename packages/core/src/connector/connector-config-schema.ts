// The schema a connector's configuration is checked with, built from its descriptor: the configuration's own
// fields, one field per credential (a Secret when secret), its modes, and its settings schema for `settings`.
// A Standard Schema, so `resolveConfig` names each bad field with where its value came from.
import type { StandardSchemaV1 } from '@standard-schema/spec';
import * as z from 'zod/mini';
import { booleanFromEnv, httpUrl, syncModeName } from '../config/config-schemas.ts';
import { isPlainObject } from '../input/caller-input.ts';
import { validateSchema } from '../input/schema.ts';
import { revealSecret, Secret, toSecret } from '../secrets/secret.ts';
import type { Connector } from './define-connector.ts';

/** A resolved configuration before it is shaped: the own fields, and each credential under its name. */
export type FlatConnectorConfig = Record<string, unknown> & {
  baseUrl?: string;
  enabled: boolean;
  syncMode: string;
  settings: unknown;
};

const REQUIRED_WHEN_ENABLED = 'required when the integration is enabled';

// A disabled integration may be half-configured (no URL or key yet) without failing the app's start; an enabled
// one must have what its connector requires. `when` runs the check even when other fields failed, so every bad
// field is reported at once; the values it sees may then be raw, hence the strict `=== true`.
const requiredWhenEnabled = (field: string) =>
  z.refine<Record<string, unknown>>((config) => config.enabled !== true || config[field] !== undefined, {
    path: [field],
    message: REQUIRED_WHEN_ENABLED,
    when: () => true,
  });

// A credential: a non-empty string, or a Secret as the database hands every credential; kept as a Secret when
// it is secret, revealed when not (a project id). One issue that does not abort: an aborting one would also stop
// the "required when enabled" refinements, hiding every other missing field.
const credentialValue = (secret: boolean) =>
  z.pipe(
    z.unknown().check(
      z.check((ctx) => {
        const value = ctx.value;
        if ((typeof value === 'string' && value.length > 0) || (value instanceof Secret && !value.isEmpty))
          return;
        ctx.issues.push({
          code: 'custom',
          message: 'must be a non-empty string',
          input: value,
          continue: true,
        });
      }),
    ),
    z.transform((value) =>
      secret ? toSecret(value as string | Secret) : revealSecret(value as string | Secret),
    ),
  );

const modeSchema = (modes: readonly string[] | undefined) =>
  modes
    ? z.enum(modes as [string, ...string[]], {
        error: (issue) => (issue.input === undefined ? undefined : `must be one of ${modes.join(', ')}`),
      })
    : syncModeName;

/**
 * The Standard Schema of a connector's configuration: `baseUrl` (http(s) URL), `enabled`, `syncMode` (one of
 * the connector's modes), `settings` (through the connector's settings schema, issues under `settings.`), and
 * each credential by its name (a Secret when secret). Required credentials and the base URL are required once
 * `enabled` is true.
 */
export function connectorConfigSchema(connector: Connector): StandardSchemaV1<unknown, FlatConnectorConfig> {
  const shape: Record<string, z.ZodMiniType> = {
    baseUrl: z.optional(httpUrl),
    enabled: booleanFromEnv,
    syncMode: modeSchema(connector.modes),
    settings: z.record(z.string(), z.unknown(), { error: 'must be an object' }),
  };
  const required: string[] = connector.baseUrl.required ? ['baseUrl'] : [];
  for (const [name, credential] of Object.entries(connector.credentials)) {
    shape[name] = z.optional(credentialValue(credential.secret));
    if (credential.required) required.push(name);
  }
  const base = z.object(shape).check(...required.map(requiredWhenEnabled));
  const settingsSchema = connector.settings;

  const validate = async (value: unknown): Promise<StandardSchemaV1.Result<FlatConnectorConfig>> => {
    const checked = (await base['~standard'].validate(value)) as StandardSchemaV1.Result<
      Record<string, unknown>
    >;
    const issues: StandardSchemaV1.Issue[] = checked.issues ? [...checked.issues] : [];
    let settings = checked.issues ? undefined : checked.value.settings;
    const raw = isPlainObject(value) ? value.settings : undefined;
    // Only an object reaches the connector's schema: anything else is already reported as not an object.
    if (settingsSchema && isPlainObject(raw)) {
      const result = await validateSchema(settingsSchema, raw);
      if (result.success) settings = result.value;
      else if (result.error) {
        issues.push({ path: ['settings'], message: 'the connector settings schema failed while validating' });
      } else {
        for (const issue of result.issues) {
          const path = issue.field === '(root)' ? [] : issue.field.split('.');
          issues.push({ path: ['settings', ...path], message: issue.message });
        }
      }
    }
    if (issues.length > 0 || checked.issues) return { issues };
    return { value: { ...checked.value, settings } as FlatConnectorConfig };
  };

  return { '~standard': { version: 1, vendor: 'patchbay', validate } };
}
