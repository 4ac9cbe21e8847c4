// Capture configured like the rest of the connector: the project API key and host from the database row
// `posthog` when there is one, else the environment (`POSTHOG_KEY`, `POSTHOG_HOST`, `NEXT_PUBLIC_POSTHOG_HOST`).

import { type ApiResult, type ConfigStore, createFromConnectorOptions } from '@patchbay/core';
import { posthogConnector } from '../connector.ts';
import { posthogEnvironment } from '../env.ts';
import { createPostHogCapture, type PostHogCapture, type PostHogCaptureOptions } from './capture.ts';
import { postHogIngestionHost } from './ingestion-host.ts';

/** Options of {@link createPostHogCaptureFromEnv}: where the configuration is, and capture's other options. */
export interface PostHogCaptureFromEnvOptions extends Omit<PostHogCaptureOptions, 'projectApiKey' | 'host'> {
  /** The environment, e.g. `process.env`. */
  env: Record<string, string | undefined>;
  /** The configuration rows (`createConfigStore`); the row `posthog` wins over the environment. */
  config?: ConfigStore;
}

/**
 * A durable capture client from the configuration: the project API key (`POSTHOG_KEY`) and the host, a Cloud app
 * host read as its ingestion host. A key configured nowhere is a `CONFIG_ERROR` saying where to set it. Never
 * throws or rejects.
 * @example
 * const capture = await createPostHogCaptureFromEnv({ env: process.env, store: 'postgres://…' });
 * if (capture.success) await capture.data.capture({ event: 'signed_up', distinctId: user.id });
 */
export async function createPostHogCaptureFromEnv(
  options: PostHogCaptureFromEnvOptions,
): Promise<ApiResult<PostHogCapture>> {
  return createFromConnectorOptions(posthogConnector, options, {
    storeKey: 'config',
    mapEnv: posthogEnvironment,
    require: ['projectApiKey'],
    build: ({ baseUrl }, { projectApiKey }, rest) =>
      createPostHogCapture({
        ...(rest as Omit<PostHogCaptureOptions, 'projectApiKey' | 'host'>),
        projectApiKey,
        ...(baseUrl === undefined ? {} : { host: postHogIngestionHost(baseUrl) }),
      }),
  });
}
