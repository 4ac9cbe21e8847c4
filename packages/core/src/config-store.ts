import * as z from 'zod/mini';
import { describeType, invalidInput, isArraySafe, readProperty } from './caller-input.ts';
import { httpUrl, secretString } from './config-schemas.ts';
import { type FieldIssue, IntegrationError, reviseError } from './errors.ts';
import { toJsonValue } from './json-value.ts';
import { optionsObject, parseOptions } from './options.ts';
import { type ApiResult, err, isErr, isOk, ok } from './result.ts';
import { validateSchema } from './schema.ts';
import { revealSecret, Secret } from './secret.ts';
import { createSecretCipher, MIN_SECRET_KEY_LENGTH, type SecretCipher } from './secret-cipher.ts';
import { settle } from './settle.ts';
import type {
  ConfigRowStore,
  StoredIntegrationConfig,
  StoredIntegrationConfigInput,
  SyncMode,
} from './store.ts';

/** Every sync mode, in the order they are listed in messages (frozen: shared by every caller). */
export const SYNC_MODES = Object.freeze([
  'disabled',
  'platform',
  'direct_crm',
] as const satisfies readonly SyncMode[]);

/** A sync mode: `disabled`, `platform` or `direct_crm`. */
export const syncModeSchema = z.enum(SYNC_MODES, {
  error: (issue) => (issue.input === undefined ? undefined : `must be one of ${SYNC_MODES.join(', ')}`),
});

/** One integration's configuration as the application reads it: the API key decrypted, as a Secret. */
export const integrationConfigSchema = z.object({
  integration: z.string(),
  baseUrl: z.nullable(z.string()),
  apiKey: z.nullable(z.instanceof(Secret)),
  enabled: z.boolean(),
  syncMode: syncModeSchema,
  settings: z.record(z.string(), z.unknown()),
  createdBy: z.nullable(z.string()),
  updatedBy: z.nullable(z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
});

/** One integration's configuration, API key decrypted (a Secret, printed as `[REDACTED]`). */
export type IntegrationConfig = z.output<typeof integrationConfigSchema>;

const isJsonSerializable = (value: unknown): boolean => {
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false;
  }
};

/** What `createConfig` and `updateConfig` accept; an omitted field is left as it is, `null` clears it. */
export const integrationConfigInputSchema = z.object({
  baseUrl: z.optional(z.nullable(httpUrl)),
  apiKey: z.optional(z.nullable(secretString)),
  enabled: z.optional(z.boolean({ error: 'must be true or false' })),
  syncMode: z.optional(syncModeSchema),
  settings: z.optional(
    z
      .record(z.string(), z.unknown(), { error: 'must be an object' })
      .check(z.refine(isJsonSerializable, 'must be JSON-serializable')),
  ),
});

/** Input of `createConfig` and `updateConfig`. */
export type IntegrationConfigInput = z.input<typeof integrationConfigInputSchema>;

const INPUT_FIELDS: ReadonlySet<string> = new Set(Object.keys(integrationConfigInputSchema.def.shape));

/** Reads and writes integration configurations, validating input and encrypting the API key at rest. */
export interface ConfigStore {
  /** The configuration, or `null` data when the integration has none. */
  getConfig(integration: string): Promise<ApiResult<IntegrationConfig | null>>;
  /** `CONFLICT` when the integration already has one; `VALIDATION_ERROR` naming each bad field. */
  createConfig(
    integration: string,
    data: IntegrationConfigInput,
    userId?: string | null,
  ): Promise<ApiResult<IntegrationConfig>>;
  /** Changes the given fields only. `NOT_FOUND` when the integration has none. */
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

const optionsSchema = z.object({
  rows: z.custom<ConfigRowStore>(isRowStore, 'must be a ConfigRowStore (get, create, update, exists)'),
  secretKey: z.custom<string | Secret>(
    (value) =>
      (typeof value === 'string' || value instanceof Secret) &&
      revealSecret(value).length >= MIN_SECRET_KEY_LENGTH,
    `must be at least ${MIN_SECRET_KEY_LENGTH} characters`,
  ),
});

const MAX_INTEGRATION_LENGTH = 200;

/**
 * The configuration service over raw rows: validates input with zod (field-named `VALIDATION_ERROR`),
 * encrypts the API key before it reaches the rows and decrypts it on the way out. Throws `CONFIG_ERROR`
 * for invalid options.
 * @example
 * const configs = createConfigStore({ rows: store.configs, secretKey: env.PATCHBAY_SECRET_KEY });
 * await configs.createConfig('crm', { baseUrl: 'https://crm.example.com', apiKey, enabled: true }, userId);
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
// name), and unknown fields are refused, not dropped: `apikey` or `base_url` would otherwise be a silent no-op.
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
    if (key !== 'settings' || typeof read.data !== 'object' || read.data === null || isArraySafe(read.data)) {
      copy[key] = read.data;
      continue;
    }
    const settings = toJsonValue(read.data, { field: 'settings' });
    if (settings.success) copy[key] = settings.data;
    else {
      const inner = settings.error.issues?.[0];
      const detail = inner ? ` (${inner.field}: ${inner.message})` : '';
      issues.push({ field: 'settings', message: `must be JSON-serializable${detail}` });
    }
  }
  return ok({ copy, issues });
}

async function toStoredInput(
  input: CheckedInput,
  cipher: SecretCipher,
): Promise<StoredIntegrationConfigInput> {
  const stored: StoredIntegrationConfigInput = {};
  if (input.baseUrl !== undefined) stored.baseUrl = input.baseUrl;
  if (input.apiKey !== undefined) {
    stored.apiKeyCiphertext = input.apiKey === null ? null : await cipher.encrypt(input.apiKey.reveal());
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
  let apiKey: Secret | null = null;
  if (row.apiKeyCiphertext !== null && row.apiKeyCiphertext !== undefined) {
    const decrypted = await cipher.decrypt(row.apiKeyCiphertext);
    if (!decrypted.success) {
      return err(
        reviseError(decrypted.error, {
          message: `${row.integration}: ${decrypted.error.message}`,
          field: 'apiKey',
        }),
      );
    }
    apiKey = decrypted.data;
  }
  const { apiKeyCiphertext: _ciphertext, ...rest } = row;
  // A row written by hand or by an older release could hold anything: check it like any other input.
  const checked = await validateSchema(integrationConfigSchema, { ...rest, apiKey });
  if (checked.success) return ok(checked.value);
  return err(
    new IntegrationError(
      'CONFIG_ERROR',
      `The stored configuration of ${row.integration} is invalid: ${checked.summary}`,
      { field: checked.issues[0]?.field ?? '(root)', issues: checked.issues },
    ),
  );
}
