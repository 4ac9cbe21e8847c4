import { defineConnector } from '@patchbay/core';
import { testConnection } from './connection.ts';

/** Twenty's sync modes, in the order messages list them. */
export const TWENTY_SYNC_MODES = ['disabled', 'platform', 'direct_crm'] as const;

// Built in a `/* @__PURE__ */` call: a bundle that imports the entry without the connector (a client) drops it.
/**
 * Twenty as a connector: an API key (secret, required once enabled) and a base URL, the sync modes `disabled`,
 * `platform` and `direct_crm` (default `disabled`), variables `TWENTY_CRM_BASE_URL`, `_API_KEY`, `_ENABLED`,
 * `_SYNC_MODE` (seed 001's names), and the admin page's connection test (one authenticated metadata call).
 * @example const resolved = await resolveConnectorConfig({ connector: twentyConnector, store: configs, env: process.env });
 */
export const twentyConnector = /* @__PURE__ */ defineConnector({
  id: 'twenty-crm',
  // TWENTY_CRM, not TWENTY: seed 001's variables (TWENTY_CRM_API_KEY…) are what deployments already set.
  envPrefix: 'TWENTY_CRM',
  displayName: 'Twenty CRM',
  credentials: {
    apiKey: { secret: true, description: 'An API key of the workspace (Settings → APIs & Webhooks)' },
  },
  modes: TWENTY_SYNC_MODES,
  defaultMode: 'disabled',
  testConnection: async (config, options) => {
    const { baseUrl } = config;
    const { apiKey } = config.credentials;
    if (baseUrl === undefined || apiKey === undefined) {
      const missing = baseUrl === undefined ? 'baseUrl' : 'apiKey';
      return {
        ok: false,
        latencyMs: 0,
        message: `${missing} is required`,
        details: { code: 'CONFIG_ERROR' },
      };
    }
    return testConnection({ baseUrl, apiKey, fetch: options.fetch, timeoutMs: options.timeoutMs });
  },
});
