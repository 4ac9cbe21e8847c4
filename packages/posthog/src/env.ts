import {
  type ApiResult,
  type Connector,
  type ConnectorConfig,
  type ConnectorOptions,
  createFromConnectorOptions,
  type ResolvedConfig,
  readOptions,
  resolveConnectorFromOptions,
} from '@patchbay/core';
import { posthogConnector } from './connector.ts';
import { createPostHogClient, type PostHogClient } from './query/client.ts';
import type { PostHogClientOptions } from './query/client-options.ts';
import { postHogAppHost } from './query/host.ts';

type PostHogCredentials = typeof posthogConnector extends Connector<infer C> ? C : never;

/** The PostHog connector's configuration: host, credentials (`personalApiKey`, `projectId`, `projectApiKey`). */
export type PostHogConfig = ConnectorConfig<PostHogCredentials>;

// Where a deployment may name the host, in order of precedence: the connector's own variable, then seed 000's
// server-side and browser-side names (the browser's often is posthog-js's `…/js` or an ingestion host).
const HOST_VARIABLES = ['POSTHOG_BASE_URL', 'POSTHOG_HOST', 'NEXT_PUBLIC_POSTHOG_HOST'] as const;

/**
 * The environment as the PostHog connector reads it: `POSTHOG_BASE_URL` set from the first of `POSTHOG_BASE_URL`,
 * `POSTHOG_HOST` and `NEXT_PUBLIC_POSTHOG_HOST` that is an absolute URL, read as an app host (`/js` dropped, a
 * Cloud ingestion host such as `https://us.i.posthog.com` read as `https://us.posthog.com`, which serves the
 * query API). A relative `NEXT_PUBLIC_POSTHOG_HOST` (a Next.js rewrite such as `/ingest`) is no host to read from
 * and is skipped. The other variables are passed on as they are; `env` is not changed.
 * @example const env = posthogEnvironment(process.env); // POSTHOG_HOST=https://eu.i.posthog.com → POSTHOG_BASE_URL=https://eu.posthog.com
 */
export function posthogEnvironment(
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const read = readOptions(env, HOST_VARIABLES, 'env');
  const copy: Record<string, string | undefined> = { ...env };
  if (!read.success) return copy;
  for (const name of HOST_VARIABLES) {
    const value = read.data[name];
    if (typeof value !== 'string' || value.trim() === '') continue;
    const host = postHogAppHost(value);
    if (!/^https?:\/\//i.test(host)) continue;
    copy.POSTHOG_BASE_URL = host;
    return copy;
  }
  delete copy.POSTHOG_BASE_URL;
  return copy;
}

/** Options of {@link resolvePostHogConfig}: `env`, `store` (its row `posthog` wins over the environment), `defaults`. */
export type ResolvePostHogConfigOptions = ConnectorOptions<PostHogCredentials>;

/**
 * PostHog's configuration from the database row `posthog` (secrets decrypted), then the environment (see
 * {@link posthogEnvironment}), then defaults: core's `resolveConnectorConfig` for `posthogConnector`. Never throws.
 * @example const config = await resolvePostHogConfig({ env: process.env, store: configs });
 */
export async function resolvePostHogConfig(
  options: ResolvePostHogConfigOptions,
): Promise<ApiResult<ResolvedConfig<PostHogConfig>>> {
  return resolveConnectorFromOptions(posthogConnector, options, { mapEnv: posthogEnvironment });
}

/** Options of {@link createPostHogClientFromEnv}: where the configuration is, and the client's other options. */
export interface PostHogClientFromEnvOptions
  extends Omit<PostHogClientOptions, 'host' | 'personalApiKey' | 'projectId'>,
    Pick<ConnectorOptions, 'env' | 'store'> {}

/**
 * A reading client from the configuration (the database row wins over the environment): its host, personal API
 * key and project id. A key or project id configured nowhere is a `CONFIG_ERROR` naming it and where to set it,
 * before any request. Never throws or rejects.
 * @example
 * const posthog = await createPostHogClientFromEnv({ env: process.env, store: configs });
 * if (posthog.success) await posthog.data.getTotalPageViews();
 */
export async function createPostHogClientFromEnv(
  options: PostHogClientFromEnvOptions,
): Promise<ApiResult<PostHogClient>> {
  return createFromConnectorOptions(posthogConnector, options, {
    mapEnv: posthogEnvironment,
    require: ['personalApiKey', 'projectId'],
    build: ({ baseUrl }, { personalApiKey, projectId }, rest) =>
      createPostHogClient({
        ...(rest as Omit<PostHogClientOptions, 'host' | 'personalApiKey' | 'projectId'>),
        ...(baseUrl === undefined ? {} : { host: baseUrl }),
        personalApiKey,
        projectId,
      }),
  });
}
