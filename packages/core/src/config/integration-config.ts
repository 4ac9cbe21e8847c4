import { type Connector, type ConnectorConfig, isConnector } from '../connector/define-connector.ts';
import {
  asConfigError,
  checkEnv,
  checkIntegration,
  checkStore,
  configError,
  readDefaults,
  resolveWith,
} from '../connector/resolve-connector-config.ts';
import { readOptions } from '../input/caller-input.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import { Secret } from '../secrets/secret.ts';
import type { SyncMode } from '../store/store.ts';
import type { ResolvedConfig } from './config.ts';
import type { ConfigStore } from './config-store.ts';

/**
 * One integration's resolved configuration: its connector's credentials by name, and `apiKey` for the one most
 * integrations have. What the connector requires (by default a base URL and the API key) is set when `enabled`.
 */
export interface ResolvedIntegrationConfig extends ConnectorConfig {
  /** `credentials.apiKey`, when set. */
  apiKey?: Secret;
}

/** Fallback values, used when neither the database nor the environment has a field. */
export interface IntegrationConfigDefaults {
  baseUrl?: string;
  /** Short for `credentials.apiKey`. */
  apiKey?: string | Secret;
  /** Credential name → value. */
  credentials?: Record<string, string | Secret>;
  enabled?: boolean;
  syncMode?: SyncMode;
  settings?: Record<string, unknown>;
}

/** Options of {@link resolveIntegrationConfig}. */
export interface ResolveIntegrationConfigOptions {
  /** The integration's name, the key of its database row, e.g. `acme-crm`. Default the connector's id. */
  integration?: string;
  /**
   * The connector (`defineConnector`) whose credentials, modes and settings schema apply. Without one: a base
   * URL and an `apiKey`, both required once enabled, any mode name, any settings object.
   */
  connector?: Connector;
  /** The database layer; without it only env and defaults are read. */
  store?: ConfigStore;
  /** The environment, e.g. `process.env`; core never reads it by itself. */
  env: Record<string, string | undefined>;
  /**
   * Prefix of the variables: `ACME_CRM` reads `ACME_CRM_BASE_URL`, `_API_KEY`, `_ENABLED`, `_SYNC_MODE` (and one
   * variable per credential of the connector). Required without a connector; with one, default its `envPrefix`.
   */
  envPrefix?: string;
  defaults?: IntegrationConfigDefaults;
}

/**
 * One integration's configuration, field by field from the database row, then the environment
 * (`${envPrefix}_BASE_URL`, `_ENABLED`, `_SYNC_MODE` and one variable per credential: `_API_KEY` without a
 * connector), then `defaults` (then `enabled: false`, the connector's default mode or `'disabled'`). A database
 * row's `enabled: false` wins over env `true`: the row has priority for every field it holds. Every invalid field
 * is reported in one `CONFIG_ERROR`, named with where its value came from; a database failure (or a secret that
 * does not decrypt) is returned as is, never papered over by env. Never throws or rejects: options of the wrong
 * kind are a `CONFIG_ERROR` naming the field (`integration`, `env`, `envPrefix`, `connector`, `store`,
 * `defaults.syncMode`), and a store that throws or answers something that is not an ApiResult is `OPERATION_FAILED`.
 * @example
 * const result = await resolveIntegrationConfig({ integration: 'acme-crm', store: configs, env: process.env, envPrefix: 'ACME_CRM' });
 * if (result.success && result.data.config.enabled) connect(result.data.config.baseUrl, result.data.config.apiKey);
 */
export async function resolveIntegrationConfig(
  options: ResolveIntegrationConfigOptions,
): Promise<ApiResult<ResolvedConfig<ResolvedIntegrationConfig>>> {
  if (options === undefined) return err(configError('options', 'must be an object'));
  const read = readOptions(options, ['integration', 'connector', 'store', 'env', 'envPrefix', 'defaults']);
  if (!read.success) return err(asConfigError(read.error));
  const { connector: given, envPrefix } = read.data;
  if (given !== undefined && !isConnector(given)) {
    return err(configError('connector', 'must be a connector made by defineConnector'));
  }
  const integration = checkIntegration(read.data.integration ?? given?.id);
  if (!integration.success) return integration;
  if (envPrefix !== undefined || !given) {
    if (typeof envPrefix !== 'string' || envPrefix === '' || envPrefix.length > 200) {
      return err(configError('envPrefix', 'must be a non-empty string such as MY_CRM'));
    }
  }
  const env = checkEnv(read.data.env);
  if (!env.success) return env;
  const store = checkStore(read.data.store);
  if (!store.success) return store;
  const connector = withPrefix(given ?? API_KEY_CONNECTOR, envPrefix as string | undefined);
  const defaults = readDefaults(read.data.defaults, connector, { apiKeyAlias: true });
  if (!defaults.success) return defaults;

  const resolved = await resolveWith(connector, {
    integration: integration.data,
    env: env.data,
    store: store.data,
    defaults: defaults.data,
  });
  if (!resolved.success) return resolved;
  const { config, origins } = resolved.data;
  const apiKey = config.credentials.apiKey;
  return ok({ config: { ...config, ...(apiKey instanceof Secret && { apiKey }) }, origins });
}

// What an integration without a connector needs: a base URL and an API key, both required once enabled, any
// mode, any settings. Never handed out, so it needs no checks of defineConnector's. Built in a `/* @__PURE__ */`
// call so that a bundle without resolveIntegrationConfig drops it.
const API_KEY_CONNECTOR: Connector = /* @__PURE__ */ (() =>
  Object.freeze({
    id: 'integration',
    envPrefix: 'INTEGRATION',
    displayName: 'integration',
    baseUrl: Object.freeze({ required: true }),
    credentials: Object.freeze({ apiKey: Object.freeze({ secret: true, env: 'API_KEY', required: true }) }),
    defaultMode: 'disabled',
    env: Object.freeze({
      baseUrl: 'INTEGRATION_BASE_URL',
      enabled: 'INTEGRATION_ENABLED',
      syncMode: 'INTEGRATION_SYNC_MODE',
      credentials: Object.freeze({ apiKey: 'INTEGRATION_API_KEY' }),
    }),
  }))();

// The connector with its variables under another prefix (two instances of one connector, or the legacy
// prefix-only call).
function withPrefix(connector: Connector, envPrefix: string | undefined): Connector {
  if (envPrefix === undefined || envPrefix === connector.envPrefix) return connector;
  const credentials = Object.fromEntries(
    Object.entries(connector.credentials).map(([name, credential]) => [
      name,
      `${envPrefix}_${credential.env}`,
    ]),
  );
  return {
    ...connector,
    envPrefix,
    env: {
      baseUrl: `${envPrefix}_BASE_URL`,
      enabled: `${envPrefix}_ENABLED`,
      syncMode: `${envPrefix}_SYNC_MODE`,
      credentials,
    },
  };
}
