// One connector's configuration, field by field: the database row, then the environment (named after the
// connector), then defaults. The database wins for every field it holds; every bad field is reported at once.

import { type ConfigSource, envSource, type ResolvedConfig, resolveConfig } from '../config/config.ts';
import type { ConfigStore } from '../config/config-store.ts';
import {
  describeType,
  invalidInput,
  isArraySafe,
  isObjectLike,
  readOptions,
  readProperty,
} from '../input/caller-input.ts';
import { IntegrationError, isIntegrationError, reviseError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import type { Secret } from '../secrets/secret.ts';
import { connectorConfigSchema } from './connector-config-schema.ts';
import {
  type Connector,
  type ConnectorConfig,
  type CredentialDefinitions,
  type CredentialValues,
  isConnector,
} from './define-connector.ts';

/** Fallback values of a connector's configuration, used when neither the database nor the environment has one. */
export interface ConnectorConfigDefaults<
  C extends CredentialDefinitions = CredentialDefinitions,
  M extends string = string,
> {
  baseUrl?: string;
  credentials?: { [K in keyof C]?: string | Secret };
  enabled?: boolean;
  syncMode?: M;
  /** Input of the connector's settings schema. */
  settings?: Record<string, unknown>;
}

/** Options of {@link resolveConnectorConfig}. */
export interface ResolveConnectorConfigOptions<
  C extends CredentialDefinitions = CredentialDefinitions,
  S = Record<string, unknown>,
  M extends string = string,
> {
  /** What `defineConnector` returned. */
  connector: Connector<C, S, M>;
  /** The configuration row's key. Default the connector's id. */
  integration?: string;
  /** The database layer; without it only env and defaults are read. */
  store?: ConfigStore;
  /** The environment, e.g. `process.env`; core never reads it by itself. */
  env: Record<string, string | undefined>;
  defaults?: ConnectorConfigDefaults<C, M>;
}

/**
 * A connector's configuration from the database row (its secrets decrypted), then the environment
 * (`connector.env`: `${envPrefix}_BASE_URL`, `_ENABLED`, `_SYNC_MODE`, one variable per credential), then
 * `defaults`, then the connector's own (its default base URL and mode, `enabled: false`). A row's value wins
 * for every field it holds (its `enabled: false` over env `true`). Checks the result against the descriptor:
 * `syncMode` one of its modes, `settings` through its settings schema, its required credentials and base URL
 * present once enabled. Every bad field is in one `CONFIG_ERROR`, named with where its value came from, never
 * the value. A database failure (or a secret that does not decrypt) is returned as is, never papered over by env.
 * Never throws or rejects: bad options are a `CONFIG_ERROR` naming the field.
 * @example
 * const result = await resolveConnectorConfig({ connector: acmeConnector, store: configs, env: process.env });
 * if (result.success && result.data.config.enabled) connect(result.data.config.credentials.apiKey);
 */
export async function resolveConnectorConfig<C extends CredentialDefinitions, S, M extends string>(
  options: ResolveConnectorConfigOptions<C, S, M>,
): Promise<ApiResult<ResolvedConfig<ConnectorConfig<C, S, M>>>> {
  if (options === undefined) return err(configError('options', 'must be an object'));
  const read = readOptions(options, ['connector', 'integration', 'store', 'env', 'defaults']);
  if (!read.success) return err(asConfigError(read.error));
  const { connector } = read.data;
  if (!isConnector(connector)) {
    return err(configError('connector', 'must be a connector made by defineConnector'));
  }
  const integration = checkIntegration(read.data.integration ?? connector.id);
  if (!integration.success) return integration;
  const env = checkEnv(read.data.env);
  if (!env.success) return env;
  const store = checkStore(read.data.store);
  if (!store.success) return store;
  const defaults = readDefaults(read.data.defaults, connector);
  if (!defaults.success) return defaults;
  const resolved = await resolveWith(connector, {
    integration: integration.data,
    env: env.data,
    store: store.data,
    defaults: defaults.data,
  });
  return resolved as ApiResult<ResolvedConfig<ConnectorConfig<C, S, M>>>;
}

/** What {@link resolveWith} reads, checked. */
export interface CheckedResolveInputs {
  integration: string;
  env: Record<string, string | undefined>;
  store: Pick<ConfigStore, 'getConfig'> | undefined;
  /** Flat: the own fields, and each credential by its name. */
  defaults: Record<string, unknown>;
}

/**
 * The resolution itself, for a connector and inputs already checked (`resolveIntegrationConfig` uses it with a
 * descriptor of its own). Internal.
 */
export async function resolveWith(
  connector: Connector,
  inputs: CheckedResolveInputs,
): Promise<ApiResult<ResolvedConfig<ConnectorConfig>>> {
  const { integration, env, store, defaults } = inputs;
  let row: Record<string, unknown> | null = null;
  if (store) {
    const stored = await readStoredConfig(store, integration, connector);
    if (!stored.success) return stored;
    row = stored.data;
  }

  let environment: ConfigSource;
  try {
    environment = envSource(env, {
      baseUrl: connector.env.baseUrl,
      enabled: connector.env.enabled,
      syncMode: connector.env.syncMode,
      ...connector.env.credentials,
    });
  } catch (error) {
    // envSource throws only IntegrationErrors naming the variable (`env.<PREFIX>_API_KEY`).
    return err(unexpected('envSource', error, 'env'));
  }

  const own = {
    enabled: false,
    syncMode: connector.defaultMode,
    settings: {},
    baseUrl: connector.baseUrl.default,
  };
  const sources: ConfigSource[] = [
    { name: 'database', values: row, describe: () => `database row '${integration}'` },
    environment,
    { name: 'defaults', values: { ...own, ...defaults } },
  ];
  const resolved = await resolveConfig({ schema: connectorConfigSchema(connector), sources });
  if (!resolved.success) return resolved;
  const { baseUrl, enabled, syncMode, settings, ...values } = resolved.data.config;
  const credentials: CredentialValues = {};
  for (const name of Object.keys(connector.credentials)) {
    const value = values[name];
    if (value !== undefined) credentials[name] = value as string | Secret;
  }
  const config: ConnectorConfig = {
    integration,
    ...(baseUrl !== undefined && { baseUrl }),
    credentials,
    enabled,
    syncMode,
    settings: settings as Record<string, unknown>,
  };
  return ok({ config, origins: resolved.data.origins });
}

/** A checked integration name: a non-empty string of at most 200 characters. Internal. */
export function checkIntegration(integration: unknown): ApiResult<string> {
  if (typeof integration !== 'string' || integration.trim() === '' || integration.length > 200) {
    return err(configError('integration', 'must be a non-empty string of at most 200 characters'));
  }
  return ok(integration);
}

/** A checked environment object (e.g. `process.env`). Internal. */
export function checkEnv(env: unknown): ApiResult<Record<string, string | undefined>> {
  if (typeof env !== 'object' || env === null || isArraySafe(env)) {
    return err(configError('env', `must be an object (e.g. process.env), not ${describeType(env)}`));
  }
  return ok(env as Record<string, string | undefined>);
}

/** A checked store: undefined, or something with a `getConfig` method, bound to it. Internal. */
export function checkStore(store: unknown): ApiResult<Pick<ConfigStore, 'getConfig'> | undefined> {
  if (store === undefined) return ok(undefined);
  const getConfig = isObjectLike(store) ? readProperty(store, 'getConfig', 'store.getConfig') : undefined;
  if (getConfig && !getConfig.success) return err(asConfigError(getConfig.error));
  if (typeof getConfig?.data !== 'function') {
    return err(configError('store', 'must be a ConfigStore (createConfigStore), with getConfig'));
  }
  const method = getConfig.data as ConfigStore['getConfig'];
  return ok({ getConfig: (name) => method.call(store, name) });
}

/**
 * The caller's defaults, read once and flattened: own fields by name, each of the connector's credentials by its
 * name; with `apiKeyAlias`, `apiKey` is short for `credentials.apiKey`. Internal.
 */
export function readDefaults(
  defaults: unknown,
  connector: Connector,
  options: { apiKeyAlias?: boolean } = {},
): ApiResult<Record<string, unknown>> {
  const keys = ['baseUrl', 'credentials', 'enabled', 'syncMode', 'settings'];
  const read = readOptions(defaults, options.apiKeyAlias ? [...keys, 'apiKey'] : keys, 'defaults');
  if (!read.success) return err(asConfigError(read.error));
  const { credentials, ...own } = read.data;
  const values = readOptions(credentials, Object.keys(connector.credentials), 'defaults.credentials');
  if (!values.success) return err(asConfigError(values.error));
  return ok({ ...own, ...values.data });
}

// The database row's fields (the connector's credentials by name), or the store's failure as is; a store that
// throws or answers garbage is OPERATION_FAILED rather than a rejection.
async function readStoredConfig(
  store: Pick<ConfigStore, 'getConfig'>,
  integration: string,
  connector: Connector,
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
        const { baseUrl, enabled, syncMode, settings, secrets } = data as Record<string, unknown>;
        // An empty settings object is what a row holds when nobody set any: let the defaults' show through.
        const hasSettings = isObjectLike(settings) && Object.keys(settings).length > 0;
        const row: Record<string, unknown> = {
          baseUrl,
          enabled,
          syncMode,
          settings: hasSettings ? settings : undefined,
        };
        for (const name of Object.keys(connector.credentials)) {
          if (isObjectLike(secrets) && Object.hasOwn(secrets, name)) {
            row[name] = (secrets as Record<string, unknown>)[name];
          }
        }
        return ok(row);
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

/** A caller-input error turned into the CONFIG_ERROR configuration resolvers answer. Internal. */
export const asConfigError = (error: IntegrationError): IntegrationError =>
  reviseError(error, { code: 'CONFIG_ERROR' });

/** A CONFIG_ERROR naming `field`. Internal. */
export const configError = (field: string, message: string): IntegrationError =>
  asConfigError(invalidInput(field, message));
