// The client from Patchbay's configuration: the `exact-online` row of the configuration store (secrets decrypted)
// wins over `EXACT_ONLINE_*` variables, field by field. The token set lives in that row's `oauth2` secret, where
// every refresh writes the rotated set back, so every process reading the same database follows one chain.
import {
  type ApiResult,
  type ConfigStore,
  type Connector,
  type ConnectorConfig,
  type ConnectorOptions,
  createFromConnectorOptions,
  IntegrationError,
  type ResolvedConfig,
  resolveConnectorFromOptions,
} from '@patchbay/core';
import { createConfigOAuth2TokenStore } from '@patchbay/core/oauth';
import type * as z from 'zod/mini';
import { createExactClient, type ExactClient, type ExactClientOptions } from './client.ts';
import { exactOnlineConnector, type exactSettingsSchema } from './connector.ts';

type ExactCredentials = typeof exactOnlineConnector extends Connector<infer C> ? C : never;

/** The Exact Online connector's configuration: `clientId`, `clientSecret`, the `oauth2` token set, region, division. */
export type ExactConfig = ConnectorConfig<ExactCredentials, z.output<typeof exactSettingsSchema>>;

/** Options of {@link resolveExactConfig}: `env`, `store` (its row `exact-online` wins over the environment), `defaults`. */
export type ResolveExactConfigOptions = ConnectorOptions<ExactCredentials>;

/**
 * Exact Online's configuration from the database row `exact-online`, then `EXACT_ONLINE_*` variables, then
 * defaults. Never throws.
 * @example const config = await resolveExactConfig({ env: process.env, store: configs });
 */
export async function resolveExactConfig(
  options: ResolveExactConfigOptions,
): Promise<ApiResult<ResolvedConfig<ExactConfig>>> {
  return resolveConnectorFromOptions(exactOnlineConnector, options);
}

/** Options of {@link createExactClientFromEnv}. */
export interface ExactClientFromEnvOptions
  extends Omit<ExactClientOptions, 'oauth' | 'region' | 'division' | 'baseUrl'> {
  /** The environment, e.g. `process.env`. */
  env: Record<string, string | undefined>;
  /** The configuration store (`createConfigStore`): its row wins over the variables, and it keeps the token set. */
  configs: ConfigStore;
}

/**
 * A client from the configuration: `clientId` and `clientSecret` from the row or `EXACT_ONLINE_CLIENT_ID` /
 * `_CLIENT_SECRET`, the token set in the row's `oauth2` secret (read and written by the client), the region and
 * division from the settings; `store` (an IntegrationStore) is the refresh lock. A credential configured nowhere is a
 * `CONFIG_ERROR` naming it, before any request. Never throws.
 * @example
 * const exact = await createExactClientFromEnv({ env: process.env, configs, store });
 * if (exact.success) for await (const page of exact.data.accounts.sync()) …
 */
export async function createExactClientFromEnv(
  options: ExactClientFromEnvOptions,
): Promise<ApiResult<ExactClient>> {
  let configs: unknown;
  try {
    configs = (options as { configs?: unknown }).configs;
  } catch {
    configs = undefined;
  }
  if (configs === undefined || configs === null || typeof configs !== 'object') {
    return {
      success: false,
      error: new IntegrationError(
        'CONFIG_ERROR',
        'Invalid Exact Online options: configs: must be the configuration store (createConfigStore) that keeps the token set',
        { field: 'configs', issues: [{ field: 'configs', message: 'is required' }], retryable: false },
      ),
    };
  }
  return createFromConnectorOptions(exactOnlineConnector, options, {
    storeKey: 'configs',
    require: ['clientId', 'clientSecret'],
    build: ({ integration, baseUrl, settings }, { clientId, clientSecret }, rest) =>
      createExactClient({
        ...(rest as Omit<ExactClientOptions, 'oauth'>),
        ...(baseUrl === undefined ? {} : { baseUrl }),
        ...(settings?.region === undefined ? {} : { region: settings.region }),
        ...(settings?.division === undefined ? {} : { division: settings.division }),
        oauth: {
          clientId,
          clientSecret,
          tokens: createConfigOAuth2TokenStore({ configs: configs as ConfigStore, integration }),
          connection: `exact-online:${integration}`,
        },
      }),
  });
}
