import {
  type ApiResult,
  type ConfigStore,
  type Connector,
  type ConnectorConfig,
  type ConnectorConfigDefaults,
  err,
  IntegrationError,
  isIntegrationError,
  ok,
  type ResolvedConfig,
  readOptions,
  resolveConnectorConfig,
} from '@patchbay/core';
import { createHubSpotClient, type HubSpotClient, type HubSpotClientOptions } from './client.ts';
import { hubspotConnector } from './connector.ts';

type HubSpotCredentials = typeof hubspotConnector extends Connector<infer C> ? C : never;

/** The HubSpot connector's configuration: API host and `accessToken`. */
export type HubSpotConfig = ConnectorConfig<HubSpotCredentials>;

/** Options of {@link resolveHubSpotConfig}. */
export interface ResolveHubSpotConfigOptions {
  /** The environment, e.g. `process.env`. */
  env: Record<string, string | undefined>;
  /** The database layer (`createConfigStore`); its row `hubspot` wins over the environment field by field. */
  store?: ConfigStore;
  /** Used where neither the database nor the environment has a value. */
  defaults?: ConnectorConfigDefaults<HubSpotCredentials>;
}

/**
 * HubSpot's configuration from the database row `hubspot` (secrets decrypted), then `HUBSPOT_*` variables, then
 * defaults: core's `resolveConnectorConfig` for `hubspotConnector`. Never throws.
 * @example const config = await resolveHubSpotConfig({ env: process.env, store: configs });
 */
export async function resolveHubSpotConfig(
  options: ResolveHubSpotConfigOptions,
): Promise<ApiResult<ResolvedConfig<HubSpotConfig>>> {
  const read = readOptions(options, ['env', 'store', 'defaults']);
  if (!read.success) return err(asConfigError(read.error));
  const { env, store, defaults } = read.data;
  if (typeof env !== 'object' || env === null) {
    return err(
      new IntegrationError('CONFIG_ERROR', 'env: must be an object (e.g. process.env)', { field: 'env' }),
    );
  }
  return resolveConnectorConfig({
    connector: hubspotConnector,
    env: env as Record<string, string | undefined>,
    ...(store === undefined ? {} : { store: store as ConfigStore }),
    ...(defaults === undefined ? {} : { defaults: defaults as ConnectorConfigDefaults }),
  }) as Promise<ApiResult<ResolvedConfig<HubSpotConfig>>>;
}

/** Options of {@link createHubSpotClientFromEnv}: where the configuration is, and the client's other options. */
export interface HubSpotClientFromEnvOptions
  extends Omit<HubSpotClientOptions, 'baseUrl' | 'accessToken' | 'oauth'> {
  env: Record<string, string | undefined>;
  store?: ConfigStore;
}

/**
 * A client from the configuration (the database row wins over `HUBSPOT_ACCESS_TOKEN` and `HUBSPOT_BASE_URL`). A
 * token configured nowhere is a `CONFIG_ERROR` naming it and where to set it, before any request. Never throws.
 * @example
 * const hubspot = await createHubSpotClientFromEnv({ env: process.env, store: configs });
 * if (hubspot.success) await hubspot.data.contacts.get('51');
 */
export async function createHubSpotClientFromEnv(
  options: HubSpotClientFromEnvOptions,
): Promise<ApiResult<HubSpotClient>> {
  let env: unknown;
  let store: unknown;
  let rest: Record<string, unknown>;
  try {
    ({ env, store, ...rest } = options as unknown as Record<string, unknown>);
  } catch {
    return err(new IntegrationError('CONFIG_ERROR', 'options could not be read', { field: 'options' }));
  }
  const resolved = await resolveHubSpotConfig({
    env: env as Record<string, string | undefined>,
    ...(store === undefined ? {} : { store: store as ConfigStore }),
  });
  if (!resolved.success) return resolved;
  const { baseUrl, credentials } = resolved.data.config;
  if (credentials.accessToken === undefined) {
    return err(
      new IntegrationError(
        'CONFIG_ERROR',
        "HubSpot accessToken is not configured: set HUBSPOT_ACCESS_TOKEN or save it in the 'hubspot' configuration",
        { field: 'accessToken', retryable: false },
      ),
    );
  }
  try {
    return ok(
      createHubSpotClient({
        ...(rest as Omit<HubSpotClientOptions, 'baseUrl' | 'accessToken' | 'oauth'>),
        ...(baseUrl === undefined ? {} : { baseUrl }),
        accessToken: credentials.accessToken,
      }),
    );
  } catch (error) {
    return err(
      isIntegrationError(error)
        ? error
        : new IntegrationError('CONFIG_ERROR', 'Invalid HubSpot client options', { retryable: false }),
    );
  }
}

const asConfigError = (error: IntegrationError): IntegrationError =>
  new IntegrationError('CONFIG_ERROR', error.message, {
    retryable: false,
    ...(error.field === undefined ? {} : { field: error.field }),
    ...(error.issues === undefined ? {} : { issues: error.issues }),
  });
