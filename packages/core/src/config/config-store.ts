import * as z from 'zod/mini';
import {
  describeType,
  invalidInput,
  isArraySafe,
  isPlainObject,
  readOwnFields,
  readProperty,
} from '../input/caller-input.ts';
import { toJsonValue } from '../input/json-value.ts';
import { optionsObject, parseOptions } from '../input/options.ts';
import { validateSchema } from '../input/schema.ts';
import { type FieldIssue, IntegrationError, reviseError } from '../result/errors.ts';
import { type ApiResult, err, isErr, isOk, ok } from '../result/result.ts';
import { settle } from '../result/settle.ts';
import { revealSecret, Secret } from '../secrets/secret.ts';
import { createSecretCipher, MIN_SECRET_KEY_LENGTH, type SecretCipher } from '../secrets/secret-cipher.ts';
import type {
  ConfigRowStore,
  StoredIntegrationConfig,
  StoredIntegrationConfigInput,
} from '../store/store.ts';
import { isSecretName, MAX_SECRETS_PER_CONFIG, SECRET_NAME_RULE } from '../store/store-validation.ts';
import { httpUrl, secretString, syncModeName } from './config-schemas.ts';

const SECRETS_SHAPE = 'must be an object of name → secret or null';
/** The longest secret (plain text) a configuration keeps: an OAuth2 token set is a few kilobytes. */
const MAX_SECRET_LENGTH = 65_536;

// The module's schemas are built in `/* @__PURE__ */` calls: a bundler drops an unused top-level call only when
// told it has no side effects, so an app that imports the main entry without the config store (an HTTP client)
// does not carry them (npm run check:edge).

/** One integration's configuration as the application reads it: every secret decrypted, as a Secret. */
export const integrationConfigSchema = /* @__PURE__ */ (() =>
  z.object({
    integration: z.string(),
    baseUrl: z.nullable(z.string()),
    /** Credential name → decrypted value. */
    secrets: z.record(z.string(), z.instanceof(Secret)),
    /** `secrets.apiKey`, or null: the one credential most integrations have. */
    apiKey: z.nullable(z.instanceof(Secret)),
    enabled: z.boolean(),
    syncMode: syncModeName,
    settings: z.record(z.string(), z.unknown()),
    createdBy: z.nullable(z.string()),
    updatedBy: z.nullable(z.string()),
    createdAt: z.number(),
    updatedAt: z.number(),
  }))();

/** One integration's configuration, secrets decrypted (Secrets, printed as `[REDACTED]`). */
export type IntegrationConfig = z.output<typeof integrationConfigSchema>;

const isJsonSerializable = (value: unknown): boolean => {
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false;
  }
};

/**
 * What `createConfig` and `updateConfig` accept; an omitted field is left as it is, `null` clears it. `secrets`
 * is merged per name (`null` removes that name, others stay); `apiKey` is short for `secrets.apiKey`.
 */
export const integrationConfigInputSchema = /* @__PURE__ */ (() =>
  z.object({
    baseUrl: z.optional(z.nullable(httpUrl)),
    apiKey: z.optional(z.nullable(secretString)),
    secrets: z.optional(z.record(z.string(), z.nullable(secretString), { error: SECRETS_SHAPE })),
    enabled: z.optional(z.boolean({ error: 'must be true or false' })),
    syncMode: z.optional(syncModeName),
    settings: z.optional(
      z
        .record(z.string(), z.unknown(), { error: 'must be an object' })
        .check(z.refine(isJsonSerializable, 'must be JSON-serializable')),
    ),
  }))();

/** Input of `createConfig` and `updateConfig`. */
export type IntegrationConfigInput = z.input<typeof integrationConfigInputSchema>;

const INPUT_FIELDS: ReadonlySet<string> = /* @__PURE__ */ (() =>
  new Set(Object.keys(integrationConfigInputSchema.def.shape)))();

/** Reads and writes integration configurations, validating input and encrypting every secret at rest. */
export interface ConfigStore {
  /** The configuration, or `null` data when the integration has none. */
  getConfig(integration: string): Promise<ApiResult<IntegrationConfig | null>>;
  /** `CONFLICT` when the integration already has one; `VALIDATION_ERROR` naming each bad field. */
  createConfig(
    integration: string,
    data: IntegrationConfigInput,
    userId?: string | null,
  ): Promise<ApiResult<IntegrationConfig>>;
  /** Changes the given fields only, `secrets` name by name. `NOT_FOUND` when the integration has none. */
  updateConfig(
    integration: string,
    data: IntegrationConfigInput,
    userId?: string | null,
  ): Promise<ApiResult<IntegrationConfig>>;
  exists(integration: string): Promise<ApiResult<boolean>>;
}

/** Options of {@link createConfigStore}. */
export interface ConfigStoreOptions {
  /** The raw rows, e.g. `store.configs` of an `IntegrationStore`. */
  rows: ConfigRowStore;
  /** Key material of the at-rest encryption (≥ 16 characters, see `createSecretCipher`). */
  secretKey: string | Secret;
}

const isRowStore = (value: unknown): value is ConfigRowStore => {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return ['get', 'create', 'update', 'exists'].every(
      (method) => typeof (value as Record<string, unknown>)[method] === 'function',
    );
  } catch {
    return false;
  }
};

const optionsSchema = /* @__PURE__ */ (() =>
  z.object({
    rows: z.custom<ConfigRowStore>(isRowStore, 'must be a ConfigRowStore (get, create, update, exists)'),
    secretKey: z.custom<string | Secret>(
      (value) =>
        (typeof value === 'string' || value instanceof Secret) &&
        revealSecret(value).length >= MIN_SECRET_KEY_LENGTH,
      `must be at least ${MIN_SECRET_KEY_LENGTH} characters`,
    ),
  }))();

const MAX_INTEGRATION_LENGTH = 200;

/**
 * The configuration service over raw rows: validates input with zod (field-named `VALIDATION_ERROR`),
 * encrypts each secret separately before it reaches the rows and decrypts them on the way out. Throws
 * `CONFIG_ERROR` for invalid options.
 * @example
 * const configs = createConfigStore({ rows: store.configs, secretKey: env.PATCHBAY_SECRET_KEY });
 * await configs.createConfig('crm', { baseUrl: 'https://crm.example.com', apiKey, enabled: true }, userId);
 * await configs.updateConfig('crm', { secrets: { refreshToken: rotated, legacyToken: null } }, null);
 */
export function createConfigStore(options: ConfigStoreOptions): ConfigStore {
  const label = 'config store options';
  const { rows, secretKey } = parseOptions(optionsSchema, optionsObject(options, { label }), { label });
  const cipher = createSecretCipher({ key: secretKey });

  const write =
    (operation: 'create' | 'update') =>
    (
      integration: string,
      data: IntegrationConfigInput,
      userId?: string | null,
    ): Promise<ApiResult<IntegrationConfig>> =>
      settle(`configs.${operation}Config`, async () => {
        const checked = await validateInput(integration, data, userId);
        if (!checked.success) return checked;
        const stored = await toStoredInput(checked.data.input, cipher);
        const saved = await callRows(`rows.${operation}`, () =>
          rows[operation](checked.data.integration, stored, checked.data.userId),
        );
        return saved.success ? fromStored(saved.data, cipher) : saved;
      });

  return {
    getConfig: (integration) =>
      settle('configs.getConfig', async () => {
        const name = checkIntegration(integration);
        if (!name.success) return name;
        const row = await callRows('rows.get', () => rows.get(name.data));
        if (!row.success) return row;
        return row.data === null ? ok(null) : fromStored(row.data, cipher);
      }),
    createConfig: write('create'),
    updateConfig: write('update'),
    exists: (integration) =>
      settle('configs.exists', async () => {
        const name = checkIntegration(integration);
        if (!name.success) return name;
        const found = await callRows('rows.exists', () => rows.exists(name.data));
        if (found.success && typeof found.data !== 'boolean') return notAResult('rows.exists');
        return found;
      }),
  };
}

// A call into the caller's rows: a throw or a rejection is OPERATION_FAILED (settle), and so is an answer that
// is not an ApiResult, instead of a TypeError further on.
async function callRows<T>(operation: string, call: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  const result = await settle(operation, call);
  return isOk(result) || isErr(result) ? result : notAResult(operation);
}

const notAResult = <T>(operation: string): ApiResult<T> =>
  err(
    new IntegrationError('OPERATION_FAILED', `${operation} answered something that is not an ApiResult`, {
      retryable: false,
    }),
  );

function checkIntegration(integration: unknown): ApiResult<string> {
  if (
    typeof integration === 'string' &&
    integration.length > 0 &&
    integration.length <= MAX_INTEGRATION_LENGTH &&
    integration.trim() === integration
  ) {
    return ok(integration);
  }
  const message = `must be a non-empty string of at most ${MAX_INTEGRATION_LENGTH} characters, without surrounding spaces`;
  return err(
    new IntegrationError('VALIDATION_ERROR', `Invalid integration: ${message}`, {
      field: 'integration',
      issues: [{ field: 'integration', message }],
    }),
  );
}

type CheckedInput = z.output<typeof integrationConfigInputSchema>;

interface CheckedWrite {
  integration: string;
  input: CheckedInput;
  userId: string | null;
}

async function validateInput(
  integration: unknown,
  data: unknown,
  userId: unknown,
): Promise<ApiResult<CheckedWrite>> {
  const name = checkIntegration(integration);
  if (!name.success) return name;
  if (userId !== undefined && userId !== null && typeof userId !== 'string') {
    return err(invalidInput('userId', `must be a string or null, not ${describeType(userId)}`));
  }
  const copied = copyInput(data);
  if (!copied.success) return copied;
  const { copy, issues: copyIssues } = copied.data;
  const checked = await validateSchema(integrationConfigInputSchema, copy);
  const issues = [...(checked.success ? [] : checked.issues), ...copyIssues];
  if (checked.success && issues.length === 0) {
    return ok({ integration: name.data, input: checked.value, userId: userId ?? null });
  }
  const summary = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  return err(
    new IntegrationError('VALIDATION_ERROR', `Invalid configuration of ${name.data}: ${summary}`, {
      field: issues[0]?.field ?? '(root)',
      issues,
    }),
  );
}

// The caller's input copied once, field by field, before zod sees it: a getter or Proxy that throws is a
// VALIDATION_ERROR naming the field, settings become plain JSON (a cycle or a BigInt in them is refused by
// name), secrets a plain object of checked names, and unknown fields are refused, not dropped: `apikey` or
// `base_url` would otherwise be a silent no-op.
function copyInput(data: unknown): ApiResult<{ copy: unknown; issues: FieldIssue[] }> {
  if (typeof data !== 'object' || data === null || isArraySafe(data)) {
    // zod names the root; nothing to copy.
    return ok({ copy: data, issues: [] });
  }
  let keys: string[];
  try {
    keys = Object.keys(data);
  } catch {
    return err(invalidInput('(root)', 'could not be read (its Proxy threw)'));
  }
  const issues: FieldIssue[] = keys
    .filter((key) => !INPUT_FIELDS.has(key))
    .map((field) => ({ field, message: 'unknown field' }));
  const copy: Record<string, unknown> = {};
  for (const key of INPUT_FIELDS) {
    const read = readProperty(data, key, key);
    if (!read.success) return read;
    if (read.data === undefined) continue;
    const value = read.data;
    const isObject = typeof value === 'object' && value !== null && !isArraySafe(value);
    if (key === 'secrets') {
      // Judged here, not by zod: an array Proxy whose traps throw would throw inside it.
      const secrets = isObject ? copySecrets(value, issues) : undefined;
      if (secrets) copy[key] = secrets;
      else if (!isObject) issues.push({ field: 'secrets', message: SECRETS_SHAPE });
    } else if (key === 'settings' && isObject) {
      const settings = toJsonValue(value, { field: 'settings' });
      if (settings.success) copy[key] = settings.data;
      else {
        const inner = settings.error.issues?.[0];
        const detail = inner ? ` (${inner.field}: ${inner.message})` : '';
        issues.push({ field: 'settings', message: `must be JSON-serializable${detail}` });
      }
    } else copy[key] = value;
  }
  // `apiKey` is `secrets.apiKey` by another name: given both, which one is meant is anyone's guess.
  const secrets = copy.secrets as Record<string, unknown> | undefined;
  if (copy.apiKey !== undefined && secrets && Object.hasOwn(secrets, 'apiKey')) {
    issues.push({ field: 'apiKey', message: 'give the API key as apiKey or as secrets.apiKey, not both' });
  }
  return ok({ copy, issues });
}

// The secrets of an input, each read once into a plain object. A name is checked without being quoted (a key
// pasted where a name belongs would otherwise be echoed); a value too long names its secret, never the value.
function copySecrets(value: object, issues: FieldIssue[]): Record<string, unknown> | undefined {
  const before = issues.length;
  const read = readOwnFields(value, 'secrets', issues);
  if (!read) return undefined;
  const names = Object.keys(read);
  if (names.length > MAX_SECRETS_PER_CONFIG) {
    issues.push({ field: 'secrets', message: `must hold at most ${MAX_SECRETS_PER_CONFIG} names` });
    return undefined;
  }
  for (const name of names) {
    if (!isSecretName(name)) {
      issues.push({ field: 'secrets', message: `has a name that is not ${SECRET_NAME_RULE}` });
      continue;
    }
    const secret = read[name];
    const length =
      typeof secret === 'string' ? secret.length : secret instanceof Secret ? secret.reveal().length : 0;
    if (length > MAX_SECRET_LENGTH) {
      issues.push({ field: `secrets.${name}`, message: `must be at most ${MAX_SECRET_LENGTH} characters` });
    }
  }
  return issues.length === before ? read : undefined;
}

async function toStoredInput(
  input: CheckedInput,
  cipher: SecretCipher,
): Promise<StoredIntegrationConfigInput> {
  const stored: StoredIntegrationConfigInput = {};
  if (input.baseUrl !== undefined) stored.baseUrl = input.baseUrl;
  const secrets: Record<string, Secret | null> = { ...input.secrets };
  if (input.apiKey !== undefined) secrets.apiKey = input.apiKey;
  if (input.secrets !== undefined || input.apiKey !== undefined) {
    const encrypted: Record<string, string | null> = {};
    for (const [name, secret] of Object.entries(secrets)) {
      encrypted[name] = secret === null ? null : await cipher.encrypt(secret.reveal());
    }
    stored.secrets = encrypted;
  }
  if (input.enabled !== undefined) stored.enabled = input.enabled;
  if (input.syncMode !== undefined) stored.syncMode = input.syncMode;
  if (input.settings !== undefined) stored.settings = input.settings;
  return stored;
}

async function fromStored(
  row: StoredIntegrationConfig,
  cipher: SecretCipher,
): Promise<ApiResult<IntegrationConfig>> {
  const { secrets: ciphertexts, ...rest } = row;
  // A row written by hand or by an older release could hold anything: check it like any other input.
  if (
    !isPlainObject(ciphertexts) ||
    !Object.values(ciphertexts).every((value) => typeof value === 'string')
  ) {
    const message = 'must be an object of name → ciphertext';
    return err(
      new IntegrationError(
        'CONFIG_ERROR',
        `The stored configuration of ${row.integration} is invalid: secrets: ${message}`,
        { field: 'secrets', issues: [{ field: 'secrets', message }] },
      ),
    );
  }
  const secrets: Record<string, Secret> = {};
  for (const [name, ciphertext] of Object.entries(ciphertexts)) {
    const decrypted = await cipher.decrypt(ciphertext as string);
    if (!decrypted.success) return err(undecryptable(row.integration, name, decrypted.error));
    // defineProperty: a hand-written name such as __proto__ stays a plain key.
    Object.defineProperty(secrets, name, { value: decrypted.data, enumerable: true, writable: true });
  }
  const apiKey = Object.hasOwn(secrets, 'apiKey') ? (secrets.apiKey ?? null) : null;
  const checked = await validateSchema(integrationConfigSchema, { ...rest, secrets, apiKey });
  if (checked.success) return ok(checked.value);
  return err(
    new IntegrationError(
      'CONFIG_ERROR',
      `The stored configuration of ${row.integration} is invalid: ${checked.summary}`,
      { field: checked.issues[0]?.field ?? '(root)', issues: checked.issues },
    ),
  );
}

// The cipher says why (wrong key, altered, not a ciphertext); this says which secret of which integration.
function undecryptable(integration: string, name: string, error: IntegrationError): IntegrationError {
  const what = name === 'apiKey' ? 'API key' : `secret ${name}`;
  const reason = /\([^)]*\)$/.exec(error.message)?.[0];
  return reviseError(error, {
    message: `The secret key does not decrypt the stored ${what} of ${integration}${reason ? ` ${reason}` : ''}`,
    field: `secrets.${name}`,
  });
}
