import { type ConnectionTestResult, defineConnector, ok, probeConnection, type Secret } from '@patchbay/core';
import { type OAuth2TokenSet, parseOAuth2TokenSet } from '@patchbay/core/oauth';
import * as z from 'zod/mini';
import { createExactClient } from './client.ts';
import { EXACT_OAUTH } from './oauth.ts';
import { EXACT_REGIONS, type ExactRegion, exactBaseUrl } from './regions.ts';

/** Exact Online's sync modes: `disabled`, and `platform` (the engine's sync). */
export const EXACT_SYNC_MODES = ['disabled', 'platform'] as const;

/** The connector's non-secret settings: the country site and, optionally, the division to work in. */
export const exactSettingsSchema = z.object({
  region: z.optional(z.enum(EXACT_REGIONS, { error: `must be one of ${EXACT_REGIONS.join(', ')}` })),
  division: z.optional(
    z.int({ error: 'must be a whole number' }).check(z.minimum(1, 'must be a division number ≥ 1')),
  ),
});

// Built in a `/* @__PURE__ */` call: a bundle that imports the entry without the connector (a client) drops it.
/**
 * Exact Online as a connector: the app's `clientId` (shown) and `clientSecret` (secret), the connection's token set
 * `oauth2` (secret, written by the authorization and every refresh: `createConfigOAuth2TokenStore`'s default name),
 * the region and division as settings; variables `EXACT_ONLINE_CLIENT_ID`, `_CLIENT_SECRET`, `_OAUTH2`, `_BASE_URL`,
 * `_ENABLED`, `_SYNC_MODE`. Its connection test reads `current/Me` with the stored access token and never refreshes
 * it: a refresh spends the single-use refresh token, which only a client holding the shared lock may do.
 */
export const exactOnlineConnector = /* @__PURE__ */ defineConnector({
  id: 'exact-online',
  envPrefix: 'EXACT_ONLINE',
  displayName: 'Exact Online',
  // The region's site is the host; a base URL is only for an emulator.
  baseUrl: { required: false },
  credentials: {
    clientId: {
      secret: false,
      description: "The app's client id (Exact App Store → your app's registration)",
    },
    clientSecret: { secret: true, description: "The app's client secret" },
    oauth2: {
      secret: true,
      required: false,
      description: "The connection's OAuth2 token set, written when the user consents and on every refresh",
    },
  },
  settings: exactSettingsSchema,
  modes: EXACT_SYNC_MODES,
  defaultMode: 'disabled',
  testConnection: async (config, options) => {
    const region: ExactRegion = config.settings?.region ?? 'nl';
    const tokens = readTokenSet(config.credentials.oauth2);
    if (tokens === undefined) {
      return {
        ok: false,
        latencyMs: 0,
        message:
          'No OAuth2 token set is stored for Exact Online: the user must authorize the app (consent) first',
        details: { code: 'AUTH_ERROR' },
      };
    }
    if (tokens.expiresAt !== null && Date.now() >= tokens.expiresAt - 5_000) {
      return {
        ok: false,
        latencyMs: 0,
        message: `The stored access token has lapsed (Exact's last ${EXACT_OAUTH.accessTokenLifetimeMs / 1000} s); the connection test does not refresh it (refresh tokens are single-use): the next client call will`,
        details: { code: 'AUTH_ERROR' },
      };
    }
    return testConnection({
      baseUrl: config.baseUrl ?? exactBaseUrl(region),
      region,
      accessToken: tokens.accessToken,
      ...options,
    });
  },
});

// The token set from its stored secret (JSON), or undefined when there is none or it does not read.
function readTokenSet(secret: Secret | undefined): OAuth2TokenSet | undefined {
  if (secret === undefined) return undefined;
  try {
    const parsed = parseOAuth2TokenSet(secret.reveal());
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

// One `current/Me` read with the stored access token: no retry, no limiter, no budget. Never throws.
function testConnection(options: {
  baseUrl: string;
  region: ExactRegion;
  accessToken: Secret;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<ConnectionTestResult> {
  return probeConnection({
    name: 'Exact Online',
    build: () =>
      createExactClient({
        region: options.region,
        baseUrl: options.baseUrl,
        oauth: { getAccessToken: async () => ok(options.accessToken) },
        timeoutMs: options.timeoutMs ?? 10_000,
        retry: false,
        rateLimit: false,
        errorBudget: false,
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      }),
    probe: (client) => client.division(),
  });
}
