import * as z from 'zod/mini';
import {
  describeType,
  invalidInput,
  isArraySafe,
  isObjectLike,
  readOptions,
  readProperty,
} from './caller-input.ts';
import { type ConfigSource, envSource, type ResolvedConfig, resolveConfig } from './config.ts';
import { booleanFromEnv, httpUrl, secretString } from './config-schemas.ts';
import { type ConfigStore, syncModeSchema } from './config-store.ts';
import { IntegrationError, isIntegrationError, reviseError } from './errors.ts';
import { type ApiResult, err, ok } from './result.ts';
import type { Secret } from './secret.ts';
import type { SyncMode } from './store.ts';

// A disabled integration may be half-configured (no URL or key yet) without failing the app's start; an
// enabled one must have both. `when` runs the check even when other fields failed, so every bad field is
// reported at once; the values it sees may then be raw, hence the strict `=== true`.
const requiredWhenEnabled = (field: 'baseUrl' | 'apiKey') =>
  z.refine<{ enabled?: unknown; baseUrl?: unknown; apiKey?: unknown }>(
    (config) => config.enabled !== true || config[field] !== undefined,
    { path: [field], message: 'required when the integration is enabled', when: () => true },
  );

/** The resolved configuration of one integration: what a client needs to connect and how to sync. */
export const resolvedIntegrationConfigSchema = z
  .object({
    baseUrl: z.optional(httpUrl),
    apiKey: z.optional(secretString),
    enabled: booleanFromEnv,
    syncMode: syncModeSchema,
    settings: z.record(z.string(), z.unknown()),
  })
  .check(requiredWhenEnabled('baseUrl'), requiredWhenEnabled('apiKey'));

/** One integration's resolved configuration; `baseUrl` and `apiKey` are always set when `enabled`. */
export type ResolvedIntegrationConfig = z.output<typeof resolvedIntegrationConfigSchema> & {
  integration: string;
};

/** Fallback values, used when neither the database nor the environment has a field. */
export interface IntegrationConfigDefaults {
  baseUrl?: string;
  apiKey?: string | Secret;
  enabled?: boolean;
  syncMode?: SyncMode;
  settings?: Record<string, unknown>;
}

/** Options of {@link resolveIntegrationConfig}. */
export interface ResolveIntegrationConfigOptions {
  /** The integration's name, the key of its database row, e.g. `acme-crm`. */
  integration: string;
  /** The database layer; without it only env and defaults are read. */
  store?: ConfigStore;
  /** The environment, e.g. `process.env`; core never reads it by itself. */
  env: Record<string, string | undefined>;
  /** Prefix of the variables: `ACME_CRM` reads `ACME_CRM_BASE_URL`, `_API_KEY`, `_ENABLED`, `_SYNC_MODE`. */
  envPrefix: string;
  defaults?: IntegrationConfigDefaults;
}

const BUILT_IN_DEFAULTS = { enabled: false, syncMode: 'disabled', settings: {} } as const;

/**
 * One integration's configuration, field by field from the database row, then the environment
 * (`${envPrefix}_BASE_URL`, `_API_KEY`, `_ENABLED`, `_SYNC_MODE`), then `defaults` (then `enabled: false`,
 * `syncMode: 'disabled'`). A database row's `enabled: false` wins over env `true`: the row has priority for
 * every field it holds. Every invalid field is reported in one `CONFIG_ERROR`, named with where its value
 * came from; a database failure (or a key that does not decrypt) is returned as is, never papered over by env.
 * Never throws or rejects: options of the wrong kind are a `CONFIG_ERROR` naming the field (`integration`,
 * `env`, `envPrefix`, `store`, `defaults.syncMode`), and a store that throws or answers something that is not an
 * ApiResult is `OPERATION_FAILED`.
 * @example
 * const result = await resolveIntegrationConfig({ integration: 'acme-crm', store: configs, env: process.env, envPrefix: 'ACME_CRM' });
 * if (result.success && result.data.config.enabled) connect(result.data.config.baseUrl, result.data.config.apiKey);
 */
export async function resolveIntegrationConfig(
  options: ResolveIntegrationConfigOptions,
): Promise<ApiResult<ResolvedConfig<ResolvedIntegrationConfig>>> {
  const read = readIntegrationOptions(options);
  if (!read.success) return read;
  const { integration, store, env, envPrefix, defaults } = read.data;

  let row: Record<string, unknown> | null = null;
  if (store) {
    const stored = await readStoredConfig(store, integration);
    if (!stored.success) return stored;
    row = stored.data;
  }

  let environment: ConfigSource;
  try {
    environment = envSource(env, {
      baseUrl: `${envPrefix}_BASE_URL`,
      apiKey: `${envPrefix}_API_KEY`,
      enabled: `${envPrefix}_ENABLED`,
      syncMode: `${envPrefix}_SYNC_MODE`,
    });
  } catch (error) {
    // envSource throws only IntegrationErrors naming the variable (`env.<PREFIX>_API_KEY`).
    return err(unexpected('envSource', error, 'env'));
  }

  const sources: ConfigSource[] = [
    {
      name: 'database',
      values: row,
      describe: () => `database row '${integration}'`,
    },
    environment,
    { name: 'defaults', values: { ...BUILT_IN_DEFAULTS, ...defaults } },
  ];

  const resolved = await resolveConfig({ schema: resolvedIntegrationConfigSchema, sources });
  if (!resolved.success) return resolved;
  return {
    success: true,
    data: { config: { integration, ...resolved.data.config }, origins: resolved.data.origins },
  };
}

interface CheckedIntegrationOptions {
  integration: string;
  store?: Pick<ConfigStore, 'getConfig'>;
  env: Record<string, string | undefined>;
  envPrefix: string;
  defaults: Record<string, unknown>;
}

const DEFAULT_KEYS = ['baseUrl', 'apiKey', 'enabled', 'syncMode', 'settings'] as const;

// Every option read once and checked for its kind; the values themselves are the schema's business.
function readIntegrationOptions(options: unknown): ApiResult<CheckedIntegrationOptions> {
  if (options === undefined) return err(configError('options', 'must be an object'));
  const read = readOptions(options, ['integration', 'store', 'env', 'envPrefix', 'defaults']);
  if (!read.success) return err(asConfigError(read.error));
  const { integration, store, env, envPrefix } = read.data;
  if (typeof integration !== 'string' || integration.trim() === '' || integration.length > 200) {
    return err(configError('integration', 'must be a non-empty string of at most 200 characters'));
  }
  if (typeof envPrefix !== 'string' || envPrefix === '' || envPrefix.length > 200) {
    return err(configError('envPrefix', 'must be a non-empty string such as MY_CRM'));
  }
  if (typeof env !== 'object' || env === null || isArraySafe(env)) {
    return err(configError('env', `must be an object (e.g. process.env), not ${describeType(env)}`));
  }
  let checkedStore: CheckedIntegrationOptions['store'];
  if (store !== undefined) {
    const getConfig = isObjectLike(store) ? readProperty(store, 'getConfig', 'store.getConfig') : undefined;
    if (getConfig && !getConfig.success) return err(asConfigError(getConfig.error));
    if (typeof getConfig?.data !== 'function') {
      return err(configError('store', 'must be a ConfigStore (createConfigStore), with getConfig'));
    }
    const method = getConfig.data as ConfigStore['getConfig'];
    checkedStore = { getConfig: (name) => method.call(store, name) };
  }
  const defaults = readOptions(read.data.defaults, DEFAULT_KEYS, 'defaults');
  if (!defaults.success) return err(asConfigError(defaults.error));
  return ok({
    integration,
    env: env as Record<string, string | undefined>,
    envPrefix,
    defaults: defaults.data,
    ...(checkedStore ? { store: checkedStore } : {}),
  });
}

// The database row's fields, or the store's failure as is; a store that throws or answers garbage is
// OPERATION_FAILED rather than a rejection.
async function readStoredConfig(
  store: Pick<ConfigStore, 'getConfig'>,
  integration: string,
): Promise<ApiResult<Record<string, unknown> | null>> {
  let stored: unknown;
  try {
    stored = await store.getConfig(integration);
  } catch (error) {
    return err(unexpected('store.getConfig', error, 'store'));
  }
  try {
    const { success } = stored as { success?: unknown };
    if (success === false) {
      const { error } = stored as { error?: unknown };
      if (isIntegrationError(error)) return stored as ApiResult<never>;
    } else if (success === true) {
      const { data } = stored as { data?: unknown };
      if (data === null || data === undefined) return ok(null);
      if (isObjectLike(data)) {
        const { baseUrl, apiKey, enabled, syncMode, settings } = data as Record<string, unknown>;
        // An empty settings object is what a row holds when nobody set any: let the defaults' show through.
        const hasSettings = isObjectLike(settings) && Object.keys(settings).length > 0;
        return ok({ baseUrl, apiKey, enabled, syncMode, settings: hasSettings ? settings : undefined });
      }
    }
  } catch (error) {
    return err(unexpected('store.getConfig', error, 'store'));
  }
  return err(
    new IntegrationError('OPERATION_FAILED', 'store.getConfig answered something that is not an ApiResult', {
      field: 'store',
      retryable: false,
    }),
  );
}

function unexpected(operation: string, thrown: unknown, field: string): IntegrationError {
  if (isIntegrationError(thrown)) return thrown;
  return new IntegrationError('OPERATION_FAILED', `${operation} failed unexpectedly`, {
    field,
    retryable: false,
  });
}

const asConfigError = (error: IntegrationError): IntegrationError =>
  reviseError(error, { code: 'CONFIG_ERROR' });
const configError = (field: string, message: string): IntegrationError =>
  asConfigError(invalidInput(field, message));
