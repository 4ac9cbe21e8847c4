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
  requireConnectorCredentials,
  resolveConnectorFromOptions,
  splitConnectorOptions,
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
  return resolveConnectorFromOptions(hubspotConnector, options);
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
  const split = splitConnectorOptions(options, ['env', 'store']);
  if (!split.success) return split;
  const resolved = await resolveHubSpotConfig(split.data.picked as ResolveHubSpotConfigOptions);
  if (!resolved.success) return resolved;
  const { baseUrl } = resolved.data.config;
  const required = requireConnectorCredentials(hubspotConnector, resolved.data.config, ['accessToken']);
  if (!required.success) return required;
  try {
    return ok(
      createHubSpotClient({
        ...(split.data.rest as Omit<HubSpotClientOptions, 'baseUrl' | 'accessToken' | 'oauth'>),
        ...(baseUrl === undefined ? {} : { baseUrl }),
        accessToken: required.data.accessToken,
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
