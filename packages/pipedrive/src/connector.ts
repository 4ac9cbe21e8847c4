import { type ConnectionTestResult, defineConnector, probeConnection, type Secret } from '@patchbay/core';
import * as z from 'zod/mini';
import { createPipedriveClient } from './client.ts';

/** Pipedrive's sync modes: `disabled`, and `platform` (the engine's sync). */
export const PIPEDRIVE_SYNC_MODES = ['disabled', 'platform'] as const;

/** The connector's non-secret settings: the company's subdomain (`acme` for acme.pipedrive.com). */
export const pipedriveSettingsSchema = z.object({
  companyDomain: z.optional(
    z
      .string()
      .check(z.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i, 'must be a subdomain such as "acme"')),
  ),
});

// Built in a `/* @__PURE__ */` call: a bundle that imports the entry without the connector (a client) drops it.
/**
 * Pipedrive as a connector: an API token (secret, required once enabled), the company domain as a setting (or
 * `PIPEDRIVE_COMPANY_DOMAIN`, or a base URL), variables `PIPEDRIVE_API_TOKEN`, `PIPEDRIVE_BASE_URL`,
 * `PIPEDRIVE_ENABLED`, `PIPEDRIVE_SYNC_MODE`, and the admin page's connection test (one person read, `limit=1`).
 * @example const resolved = await resolvePipedriveConfig({ env: process.env, store: configs });
 */
export const pipedriveConnector = /* @__PURE__ */ defineConnector({
  id: 'pipedrive',
  envPrefix: 'PIPEDRIVE',
  displayName: 'Pipedrive',
  // Every company has its own host: the domain setting (or a base URL) names it.
  baseUrl: { required: false },
  credentials: {
    apiToken: {
      secret: true,
      description: 'A personal API token (Personal preferences → API in Pipedrive)',
    },
  },
  settings: pipedriveSettingsSchema,
  modes: PIPEDRIVE_SYNC_MODES,
  defaultMode: 'disabled',
  testConnection: async (config, options) => {
    const { apiToken } = config.credentials;
    const baseUrl = pipedriveBaseUrl(config.baseUrl, config.settings?.companyDomain);
    if (apiToken === undefined || baseUrl === undefined) {
      const missing = apiToken === undefined ? 'apiToken' : 'companyDomain';
      return {
        ok: false,
        latencyMs: 0,
        message: `${missing} is required`,
        details: { code: 'CONFIG_ERROR' },
      };
    }
    return testConnection({ baseUrl, apiToken, ...options });
  },
});

/** The API host from a configured base URL, else the company domain's. */
export function pipedriveBaseUrl(
  baseUrl: string | undefined,
  companyDomain: string | undefined,
): string | undefined {
  if (baseUrl) return baseUrl;
  return companyDomain ? `https://${companyDomain}.pipedrive.com` : undefined;
}

// One person read: no retry, no limiter, no budget (one request), the test's deadline. Never throws.
function testConnection(options: {
  baseUrl: string;
  apiToken: Secret;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<ConnectionTestResult> {
  return probeConnection({
    name: 'Pipedrive',
    build: () =>
      createPipedriveClient({
        baseUrl: options.baseUrl,
        apiToken: options.apiToken,
        timeoutMs: options.timeoutMs ?? 10_000,
        retry: false,
        rateLimit: false,
        searchRateLimit: false,
        tokenBudget: false,
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      }),
    probe: (client) => client.persons.list({ limit: 1, maxPages: 1 }),
  });
}
