import { type ConnectionTestResult, defineConnector, probeConnection, type Secret } from '@patchbay/core';
import { createHubSpotClient, HUBSPOT_BASE_URL } from './client.ts';

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
function testConnection(options: {
  baseUrl: string;
  accessToken: Secret;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<ConnectionTestResult> {
  return probeConnection({
    name: 'HubSpot',
    build: () =>
      createHubSpotClient({
        baseUrl: options.baseUrl,
        accessToken: options.accessToken,
        timeoutMs: options.timeoutMs ?? 10_000,
        retry: false,
        rateLimit: false,
        searchRateLimit: false,
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      }),
    probe: (client) => client.contacts.list({ limit: 1, maxPages: 1 }),
  });
}
