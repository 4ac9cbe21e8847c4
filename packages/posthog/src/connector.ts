import { type ConnectionTestResult, defineConnector, isIntegrationError, type Secret } from '@patchbay/core';
import { createPostHogClient } from './query/client.ts';
import { POSTHOG_US_HOST } from './query/host.ts';

// Built in a `/* @__PURE__ */` call: a bundle that imports the entry without the connector (a client) drops it.
/**
 * PostHog as a connector: the app host (default `https://us.posthog.com`), a personal API key and a project id for
 * reading, a project API key for capture, all optional (reading and capture are configured apart); variables
 * `POSTHOG_PERSONAL_API_KEY`, `POSTHOG_PROJECT_ID`, `POSTHOG_KEY` (the project key, seed 000's name),
 * `POSTHOG_BASE_URL` (`posthogEnvironment` also reads `POSTHOG_HOST` and `NEXT_PUBLIC_POSTHOG_HOST`), `_ENABLED`;
 * and the admin page's connection test (one `SELECT 1` through the query API).
 * @example const resolved = await resolveConnectorConfig({ connector: posthogConnector, store: configs, env: posthogEnvironment(process.env) });
 */
export const posthogConnector = /* @__PURE__ */ defineConnector({
  id: 'posthog',
  envPrefix: 'POSTHOG',
  displayName: 'PostHog',
  baseUrl: { default: POSTHOG_US_HOST },
  credentials: {
    personalApiKey: {
      secret: true,
      required: false,
      description:
        'A personal API key (phx_…) with the query:read scope, for reading (Settings → Personal API keys)',
    },
    projectId: {
      secret: false,
      required: false,
      description: "The project's id, a whole number, for reading (Project settings)",
    },
    projectApiKey: {
      secret: true,
      env: 'KEY',
      required: false,
      description: 'The project API key (phc_…), for capture (Project settings)',
    },
  },
  testConnection: async (config, options) => {
    const { personalApiKey, projectId } = config.credentials;
    if (personalApiKey === undefined || projectId === undefined) {
      const missing = personalApiKey === undefined ? 'personalApiKey' : 'projectId';
      return {
        ok: false,
        latencyMs: 0,
        message: `${missing} is required to read from PostHog`,
        details: { code: 'CONFIG_ERROR' },
      };
    }
    return testQuery({
      host: config.baseUrl ?? POSTHOG_US_HOST,
      personalApiKey,
      projectId,
      ...options,
    });
  },
});

// One `SELECT 1`: no retry, no limiter (one request), the test's deadline. Never throws: the guard around it
// would answer a throw, but a CONFIG_ERROR (a project id that is not a number) has a message worth showing.
async function testQuery(options: {
  host: string;
  personalApiKey: Secret;
  projectId: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<ConnectionTestResult> {
  const started = performance.now();
  let client: ReturnType<typeof createPostHogClient>;
  try {
    client = createPostHogClient({
      host: options.host,
      personalApiKey: options.personalApiKey,
      projectId: options.projectId,
      timeoutMs: options.timeoutMs ?? 10_000,
      retry: false,
      rateLimits: false,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
  } catch (error) {
    const message = isIntegrationError(error) ? error.message : 'Invalid PostHog configuration';
    return { ok: false, latencyMs: 0, message, details: { code: 'CONFIG_ERROR' } };
  }
  const result = await client.hogql('SELECT 1');
  const latencyMs = Math.round(performance.now() - started);
  if (result.success)
    return { ok: true, latencyMs, message: 'Successfully connected', details: { status: 200 } };
  const { error } = result;
  return {
    ok: false,
    latencyMs,
    message: error.message,
    details: { ...(error.status === undefined ? {} : { status: error.status }), code: error.code },
  };
}
