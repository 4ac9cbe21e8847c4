// A connector's descriptor: what it needs (credentials, settings, modes) declared once, so configuration,
// environment names, admin pages and connection tests are derived from it instead of written per connector.
import type { StandardSchemaV1 } from '@standard-schema/spec';
import * as z from 'zod/mini';
import { httpUrl, syncModeName } from '../config/config-schemas.ts';
import { isObjectLike } from '../input/caller-input.ts';
import { optionsError, optionsObject, parseOptions } from '../input/options.ts';
import type { FieldIssue } from '../result/errors.ts';
import type { Secret } from '../secrets/secret.ts';
import { isSecretName, SECRET_NAME_RULE } from '../store/store-validation.ts';
import {
  type ConnectionTestOptions,
  type ConnectionTestResult,
  guardConnectionTest,
} from './connection-test.ts';
import { envSuffixOf, isEnvWord } from './env-name.ts';

/** One credential a connector needs, as it declares it. */
export interface CredentialDefinition {
  /** True for a value never to be shown (a key, a token, a client secret); false for one that may be (a project id). */
  secret: boolean;
  /** Its variable's suffix after `${envPrefix}_`. Default derived from the name: `apiKey` → `API_KEY`. */
  env?: string;
  /** Needed once the integration is enabled. Default true. */
  required?: boolean;
  /** For people: what it is and where to find it. */
  description?: string;
}

/** A connector's credentials by name (letters, digits and `_`, starting with a letter). */
export type CredentialDefinitions = Record<string, CredentialDefinition>;

/** A declared credential with its defaults applied. */
export interface Credential {
  secret: boolean;
  /** The variable suffix (`API_KEY`); the full name is in `connector.env.credentials`. */
  env: string;
  required: boolean;
  description?: string;
}

/**
 * The values of a connector's credentials, absent when unset: a secret one as a Secret, any other as a string
 * (either, where the definition's `secret` is not a literal).
 */
export type CredentialValues<C extends CredentialDefinitions = CredentialDefinitions> = {
  -readonly [K in keyof C]?: C[K] extends { secret: true }
    ? Secret
    : C[K] extends { secret: false }
      ? string
      : Secret | string;
};

/** A connector's configuration as resolved from the database, the environment and defaults. */
export interface ConnectorConfig<
  C extends CredentialDefinitions = CredentialDefinitions,
  S = Record<string, unknown>,
  M extends string = string,
> {
  /** The integration's name, the key of its configuration row (the connector's id unless told otherwise). */
  integration: string;
  /** Set whenever the connector requires one and the integration is enabled. */
  baseUrl?: string;
  /** Every required one is set once the integration is enabled. */
  credentials: CredentialValues<C>;
  enabled: boolean;
  syncMode: M;
  /** The output of the connector's settings schema. */
  settings: S;
}

/** What `defineConnector` takes. */
export interface ConnectorDefinition<C extends CredentialDefinitions, S, M extends string> {
  /** The integration's name: the configuration row's key and the admin path segment (`acme-crm`). */
  id: string;
  /** Prefix of its variables: `ACME_CRM` reads `ACME_CRM_BASE_URL`, `_ENABLED`, `_SYNC_MODE` and one per credential. */
  envPrefix: string;
  /** For people. Default the id. */
  displayName?: string;
  /** Whether a base URL is needed once enabled (default true), and the one used when none is configured. */
  baseUrl?: { required?: boolean; default?: string };
  credentials: C;
  /** Standard Schema (zod, valibot…) of the non-secret settings; its output is `config.settings`. */
  settings?: StandardSchemaV1<unknown, S>;
  /** The sync modes it accepts; must include `'disabled'`. Without it any mode name is accepted. */
  modes?: readonly M[];
  /** The mode when none is configured. Default `'disabled'`. */
  defaultMode?: NoInfer<M>;
  /** Checks the credentials with one cheap authenticated call; see `ConnectionTestResult`. */
  testConnection?: (
    config: ConnectorConfig<C, S, M>,
    options: ConnectionTestOptions,
  ) => Promise<ConnectionTestResult>;
}

/** A defined connector (frozen): its definition with defaults applied and its variable names. */
export interface Connector<
  C extends CredentialDefinitions = CredentialDefinitions,
  S = Record<string, unknown>,
  M extends string = string,
> {
  readonly id: string;
  readonly envPrefix: string;
  readonly displayName: string;
  readonly baseUrl: { readonly required: boolean; readonly default?: string };
  readonly credentials: { readonly [K in keyof C]: Readonly<Credential> };
  readonly settings?: StandardSchemaV1<unknown, S>;
  /** Undefined when the connector accepts any mode name. */
  readonly modes?: readonly M[];
  readonly defaultMode: M;
  /** The full variable names it reads. */
  readonly env: {
    readonly baseUrl: string;
    readonly enabled: string;
    readonly syncMode: string;
    readonly credentials: { readonly [K in keyof C]: string };
  };
  /**
   * The connector's test, guarded: never throws or rejects, and its message never holds a secret credential of
   * `config`. Absent when the connector declares none.
   */
  // A method, not a function property: its parameter is then bivariant, so any connector is a `Connector`.
  testConnection?(
    config: ConnectorConfig<C, S, M>,
    options?: ConnectionTestOptions,
  ): Promise<ConnectionTestResult>;
}

/** Names a credential cannot have: they are the configuration's own fields. */
const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'baseUrl',
  'enabled',
  'syncMode',
  'settings',
  'integration',
  'credentials',
  'secrets',
]);
/** Variable suffixes of the configuration's own fields. */
const OWN_SUFFIXES = { baseUrl: 'BASE_URL', enabled: 'ENABLED', syncMode: 'SYNC_MODE' } as const;
const DISABLED = 'disabled';

const isStandardSchema = (value: unknown): boolean => {
  try {
    if (!isObjectLike(value)) return false;
    const standard = (value as { '~standard'?: unknown })['~standard'];
    return isObjectLike(standard) && typeof (standard as { validate?: unknown }).validate === 'function';
  } catch {
    return false;
  }
};

// A field the definition does not know is refused by name: `settingsSchema` for `settings` would otherwise be
// dropped without a word.
const unknownFields = {
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys?.join(', ')}` : undefined,
};

const ENV_WORD_RULE = 'upper-case letters, digits and single _ between words, starting with a letter';

// Schemas are built in `/* @__PURE__ */` calls (a bundler keeps an unused top-level call unless told it has no
// side effects): a bundle of this entry without defineConnector (an HTTP client) drops them (npm run check:edge).
const credentialSchema = /* @__PURE__ */ (() =>
  z.strictObject(
    {
      secret: z.boolean({ error: 'must be true or false' }),
      env: z.optional(
        z.string({ error: 'must be a string' }).check(z.refine(isEnvWord, `must be ${ENV_WORD_RULE}`)),
      ),
      required: z.optional(z.boolean({ error: 'must be true or false' })),
      description: z.optional(z.string({ error: 'must be a string' })),
    },
    unknownFields,
  ))();

const definitionSchema = /* @__PURE__ */ (() =>
  z.strictObject(
    {
      id: z
        .string({ error: 'must be a string' })
        .check(z.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1 to 64 lower-case letters, digits, - or _')),
      envPrefix: z
        .string({ error: 'must be a string' })
        .check(z.refine(isEnvWord, `must be ${ENV_WORD_RULE}`)),
      displayName: z.optional(
        z.string({ error: 'must be a string' }).check(z.minLength(1, 'must not be empty'), z.maxLength(100)),
      ),
      baseUrl: z.optional(
        z.strictObject(
          {
            required: z.optional(z.boolean({ error: 'must be true or false' })),
            default: z.optional(httpUrl),
          },
          unknownFields,
        ),
      ),
      credentials: z.record(z.string(), credentialSchema, {
        error: 'must be an object of name → credential',
      }),
      settings: z.optional(
        z.custom<StandardSchemaV1>(isStandardSchema, 'must be a Standard Schema (zod, valibot, arktype…)'),
      ),
      modes: z.optional(z.array(syncModeName, { error: 'must be an array of mode names' })),
      defaultMode: z.optional(syncModeName),
      testConnection: z.optional(
        z.custom<(config: unknown, options: unknown) => Promise<ConnectionTestResult>>(
          (value) => typeof value === 'function',
          'must be a function',
        ),
      ),
    },
    unknownFields,
  ))();

/**
 * Declares a connector: its id, variable prefix, credentials (each secret or not, required once enabled unless
 * `required: false`), settings schema, sync modes and connection test. Configuration is then resolved from it
 * (`resolveConnectorConfig`) and its variables named after it: `${envPrefix}_BASE_URL`, `_ENABLED`, `_SYNC_MODE`
 * and one per credential. Throws `CONFIG_ERROR` naming every bad field of the definition.
 * @example
 * export const acmeConnector = defineConnector({
 *   id: 'acme-crm', envPrefix: 'ACME_CRM',
 *   credentials: { apiKey: { secret: true }, projectId: { secret: false, required: false } },
 *   settings: z.object({ pageSize: z._default(z.int(), 100) }),
 *   modes: ['disabled', 'mirror'], defaultMode: 'disabled',
 *   testConnection: async (config) => ping(config.baseUrl, config.credentials.apiKey),
 * });
 */
export function defineConnector<
  const C extends CredentialDefinitions,
  S = Record<string, unknown>,
  const M extends string = string,
>(definition: ConnectorDefinition<C, S, M>): Connector<C, S, M> {
  const label = 'connector definition';
  const plain = optionsObject(definition, { label });
  const parsed = parseOptions(definitionSchema, plain, { label });
  const issues: FieldIssue[] = [];

  const credentials: Record<string, Readonly<Credential>> = {};
  const credentialEnv: Record<string, string> = {};
  const suffixes = new Map<string, string>(
    Object.entries(OWN_SUFFIXES).map(([field, suffix]) => [suffix, field]),
  );
  for (const [name, declared] of Object.entries(parsed.credentials)) {
    const shown = name.slice(0, 64);
    if (!isSecretName(name) || RESERVED_NAMES.has(name)) {
      const why = RESERVED_NAMES.has(name)
        ? 'is a field of every configuration'
        : `is not ${SECRET_NAME_RULE}`;
      issues.push({ field: 'credentials', message: `the name "${shown}" ${why}` });
      continue;
    }
    const env = declared.env ?? envSuffixOf(name);
    const taken = suffixes.get(env);
    if (taken !== undefined) {
      issues.push({
        field: `credentials.${name}.env`,
        message: `${env} is already the variable of ${taken}`,
      });
    }
    suffixes.set(env, name);
    credentials[name] = Object.freeze({
      secret: declared.secret,
      env,
      required: declared.required ?? true,
      ...(declared.description !== undefined && { description: declared.description }),
    });
    credentialEnv[name] = `${parsed.envPrefix}_${env}`;
  }

  const modes = parsed.modes;
  if (modes) {
    if (!modes.includes(DISABLED)) {
      issues.push({ field: 'modes', message: `must include '${DISABLED}' (the mode that syncs nothing)` });
    }
    if (new Set(modes).size !== modes.length)
      issues.push({ field: 'modes', message: 'must not repeat a mode' });
  }
  const defaultMode = parsed.defaultMode ?? DISABLED;
  if (modes && !modes.includes(defaultMode)) {
    issues.push({ field: 'defaultMode', message: 'must be one of modes' });
  }
  if (issues.length > 0) throw optionsError(label, issues);

  const test = parsed.testConnection;
  const connector: Connector<CredentialDefinitions, unknown, string> = {
    id: parsed.id,
    envPrefix: parsed.envPrefix,
    displayName: parsed.displayName ?? parsed.id,
    baseUrl: Object.freeze({
      required: parsed.baseUrl?.required ?? true,
      ...(parsed.baseUrl?.default !== undefined && { default: parsed.baseUrl.default }),
    }),
    credentials: Object.freeze(credentials),
    ...(parsed.settings && { settings: parsed.settings }),
    ...(modes && { modes: Object.freeze([...modes]) }),
    defaultMode,
    env: Object.freeze({
      baseUrl: `${parsed.envPrefix}_${OWN_SUFFIXES.baseUrl}`,
      enabled: `${parsed.envPrefix}_${OWN_SUFFIXES.enabled}`,
      syncMode: `${parsed.envPrefix}_${OWN_SUFFIXES.syncMode}`,
      credentials: Object.freeze(credentialEnv),
    }),
    ...(test && { testConnection: guardConnectionTest(test) }),
  };
  Object.freeze(connector);
  defined.add(connector);
  return connector as unknown as Connector<C, S, M>;
}

// Connectors made here: resolvers accept these only, so a look-alike object (or a Proxy) is refused by name
// instead of failing somewhere inside.
const defined = new WeakSet<object>();

/** True for a connector made by `defineConnector`, and for nothing else (a copy or a look-alike is not one). */
export const isConnector = (value: unknown): value is Connector => isObjectLike(value) && defined.has(value);
