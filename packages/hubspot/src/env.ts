import {
  type ApiResult,
  type Connector,
  type ConnectorConfig,
  type ConnectorOptions,
  createFromConnectorOptions,
  type ResolvedConfig,
  resolveConnectorFromOptions,
} from '@patchbay/core';
import { createHubSpotClient, type HubSpotClient, type HubSpotClientOptions } from './client.ts';
import { hubspotConnector } from './connector.ts';

type HubSpotCredentials = typeof hubspotConnector extends Connector<infer C> ? C : never;

/** The HubSpot connector's configuration: API host and `accessToken`. */
export type HubSpotConfig = ConnectorConfig<HubSpotCredentials>;

/** Options of {@link resolveHubSpotConfig}: `env`, `store` (its row `hubspot` wins over the environment), `defaults`. */
export type ResolveHubSpotConfigOptions = ConnectorOptions<HubSpotCredentials>;

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
  extends Omit<HubSpotClientOptions, 'baseUrl' | 'accessToken' | 'oauth'>,
    Pick<ConnectorOptions, 'env' | 'store'> {}

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
  return createFromConnectorOptions(hubspotConnector, options, {
    require: ['accessToken'],
    build: ({ baseUrl }, { accessToken }, rest) =>
      createHubSpotClient({
        ...(rest as Omit<HubSpotClientOptions, 'baseUrl' | 'accessToken' | 'oauth'>),
        ...(baseUrl === undefined ? {} : { baseUrl }),
        accessToken,
      }),
  });
}
