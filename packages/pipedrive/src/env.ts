import {
  type ApiResult,
  type Connector,
  type ConnectorConfig,
  type ConnectorOptions,
  createFromConnectorOptions,
  type ResolvedConfig,
  resolveConnectorFromOptions,
} from '@patchbay/core';
import { createPipedriveClient, type PipedriveClient, type PipedriveClientOptions } from './client.ts';
import { pipedriveBaseUrl, pipedriveConnector } from './connector.ts';
import type { PipedriveCustomFieldsOption } from './custom-fields.ts';

type PipedriveCredentials = typeof pipedriveConnector extends Connector<infer C> ? C : never;

/** The Pipedrive connector's configuration: `apiToken`, the base URL or `settings.companyDomain`. */
export type PipedriveConfig = ConnectorConfig<PipedriveCredentials, { companyDomain?: string | undefined }>;

/** Options of {@link resolvePipedriveConfig}: `env`, `store` (its row `pipedrive` wins over the environment), `defaults`. */
export type ResolvePipedriveConfigOptions = ConnectorOptions<PipedriveCredentials>;

// `PIPEDRIVE_COMPANY_DOMAIN` names the host where no `PIPEDRIVE_BASE_URL` does.
function pipedriveEnvironment(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const domain = env.PIPEDRIVE_COMPANY_DOMAIN?.trim();
  if (env.PIPEDRIVE_BASE_URL || !domain) return env;
  // A domain that is not a subdomain stays unmapped; the client then names companyDomain, not the URL.
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(domain)
    ? { ...env, PIPEDRIVE_BASE_URL: `https://${domain}.pipedrive.com` }
    : env;
}

/**
 * Pipedrive's configuration from the database row `pipedrive` (secrets decrypted), then `PIPEDRIVE_*` variables
 * (`PIPEDRIVE_API_TOKEN`, `PIPEDRIVE_COMPANY_DOMAIN` or `PIPEDRIVE_BASE_URL`), then defaults. Never throws.
 * @example const config = await resolvePipedriveConfig({ env: process.env, store: configs });
 */
export async function resolvePipedriveConfig(
  options: ResolvePipedriveConfigOptions,
): Promise<ApiResult<ResolvedConfig<PipedriveConfig>>> {
  return resolveConnectorFromOptions(pipedriveConnector, options, { mapEnv: pipedriveEnvironment });
}

/** Options of {@link createPipedriveClientFromEnv}: where the configuration is, and the client's other options. */
export interface PipedriveClientFromEnvOptions<
  C extends PipedriveCustomFieldsOption = PipedriveCustomFieldsOption,
> extends Omit<PipedriveClientOptions<C>, 'baseUrl' | 'companyDomain' | 'apiToken' | 'oauth'>,
    Pick<ConnectorOptions, 'env' | 'store'> {}

/**
 * A client from the configuration (the database row wins over `PIPEDRIVE_API_TOKEN` and
 * `PIPEDRIVE_COMPANY_DOMAIN`/`PIPEDRIVE_BASE_URL`). A token or host configured nowhere is a `CONFIG_ERROR` naming
 * it, before any request. Never throws.
 * @example
 * const pipedrive = await createPipedriveClientFromEnv({ env: process.env, store: configs });
 * if (pipedrive.success) await pipedrive.data.persons.get(1);
 */
export async function createPipedriveClientFromEnv<
  const C extends PipedriveCustomFieldsOption = PipedriveCustomFieldsOption,
>(options: PipedriveClientFromEnvOptions<C>): Promise<ApiResult<PipedriveClient<C>>> {
  return createFromConnectorOptions(pipedriveConnector, options, {
    require: ['apiToken'],
    mapEnv: pipedriveEnvironment,
    build: ({ baseUrl, settings }, { apiToken }, rest) => {
      const host = pipedriveBaseUrl(baseUrl, settings?.companyDomain);
      return createPipedriveClient<C>({
        ...(rest as Omit<PipedriveClientOptions<C>, 'baseUrl' | 'apiToken' | 'oauth'>),
        // Neither configured: companyDomain is what the client names as missing.
        ...(host === undefined ? {} : { baseUrl: host }),
        apiToken,
      });
    },
  });
}
