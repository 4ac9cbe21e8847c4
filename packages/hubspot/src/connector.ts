import {
  type ApiResult,
  type ConnectionTestResult,
  defineConnector,
  isIntegrationError,
  type Secret,
} from '@patchbay/core';
import { createHubSpotClient, HUBSPOT_BASE_URL } from './client.ts';
import type { HubSpotPage } from './objects.ts';
import type { HubSpotContact } from './records.ts';

/** HubSpot's sync modes: `disabled`, and `platform` (the engine's sync, `createHubSpotSync`). */
export const HUBSPOT_SYNC_MODES = ['disabled', 'platform'] as const;

// Built in a `/* @__PURE__ */` call: a bundle that imports the entry without the connector (a client) drops it.
/**
 * HubSpot as a connector: a private app access token (secret, required once enabled) and the API host (default
 * `https://api.hubapi.com`), variables `HUBSPOT_ACCESS_TOKEN`, `HUBSPOT_BASE_URL`, `HUBSPOT_ENABLED`,
 * `HUBSPOT_SYNC_MODE`, and the admin page's connection test (one contact read, `limit=1`).
 * @example const resolved = await resolveConnectorConfig({ connector: hubspotConnector, store: configs, env: process.env });
 */
export const hubspotConnector = /* @__PURE__ */ defineConnector({
  id: 'hubspot',
  envPrefix: 'HUBSPOT',
  displayName: 'HubSpot',
  baseUrl: { default: HUBSPOT_BASE_URL },
  credentials: {
    accessToken: {
      secret: true,
      description: 'A private app access token (Settings → Integrations → Private Apps) with the CRM scopes',
    },
  },
  modes: HUBSPOT_SYNC_MODES,
  defaultMode: 'disabled',
  testConnection: async (config, options) => {
    const { accessToken } = config.credentials;
    if (accessToken === undefined) {
      return {
        ok: false,
        latencyMs: 0,
        message: 'accessToken is required',
        details: { code: 'CONFIG_ERROR' },
      };
    }
    return testConnection({ baseUrl: config.baseUrl ?? HUBSPOT_BASE_URL, accessToken, ...options });
  },
});

// One contact read: no retry and no limiter (one request), the test's deadline. Never throws.
async function testConnection(options: {
  baseUrl: string;
  accessToken: Secret;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<ConnectionTestResult> {
  const started = performance.now();
  let client: ReturnType<typeof createHubSpotClient>;
  try {
    client = createHubSpotClient({
      baseUrl: options.baseUrl,
      accessToken: options.accessToken,
      timeoutMs: options.timeoutMs ?? 10_000,
      retry: false,
      rateLimit: false,
      searchRateLimit: false,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
  } catch (error) {
    const message = isIntegrationError(error) ? error.message : 'Invalid HubSpot configuration';
    return { ok: false, latencyMs: 0, message, details: { code: 'CONFIG_ERROR' } };
  }
  let first: ApiResult<HubSpotPage<HubSpotContact>> | undefined;
  for await (const page of client.contacts.list({ limit: 1, maxPages: 1 })) {
    first = page;
    break;
  }
  const latencyMs = Math.round(performance.now() - started);
  if (first?.success)
    return { ok: true, latencyMs, message: 'Successfully connected', details: { status: 200 } };
  const error = first?.success === false ? first.error : undefined;
  return {
    ok: false,
    latencyMs,
    message: error?.message ?? 'No answer from HubSpot',
    details: {
      ...(error?.status === undefined ? {} : { status: error.status }),
      code: error?.code ?? 'OPERATION_FAILED',
    },
  };
}
