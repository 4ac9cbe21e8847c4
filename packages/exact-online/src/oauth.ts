// Exact Online's OAuth2 rules on core's token manager: access tokens live 600 s and may be refreshed only in
// their last ~30 s (earlier is a 400 `TooEarlyToRefreshTokens`), so `minRefreshWindowMs` is 30 000; refresh tokens
// are single-use, so the rotated set is stored before use and one refresh runs at a time per connection across
// processes (the store's `syncState` lease); the token endpoint takes 200 calls a day, which a counting fetch
// keeps to; and a dead refresh token ("Old refresh token used.", or one unused for 30 days) says that the user
// must consent again.
import {
  type AccessTokenSource,
  type ApiResult,
  type Logger,
  ok,
  reviseError,
  type Secret,
} from '@patchbay/core';
import {
  createOAuth2TokenManager,
  type OAuth2RefreshLock,
  type OAuth2TokenStore,
} from '@patchbay/core/oauth';

/** The OAuth2 client of an Exact Online app and the connection's token store. */
export interface ExactOAuthOptions {
  /** The app's client id (from the Exact App Store's app registration). */
  clientId: string;
  /** The app's client secret. */
  clientSecret: string | Secret;
  /** Where the connection's token set is read and the rotated one written (e.g. `createConfigOAuth2TokenStore`). */
  tokens: OAuth2TokenStore;
  /** Names the connection for the refresh lease (`oauth2-refresh:<connection>`). Default `exact-online:<clientId>`. */
  connection?: string;
  /** Token endpoint calls allowed per rolling 24 hours by this client. Default 200 (Exact's limit per user). */
  maxTokenCallsPerDay?: number;
  /**
   * How much later than Exact's 30-second window opens the client starts refreshing. A token's lifetime counts from
   * when its request left, so the client's expiry runs ahead of Exact's by the token call's time: without a margin
   * a refresh at the window's opening can be refused as too early. Default 5 000 ms; raise it on a slow link.
   */
  refreshMarginMs?: number;
}

/** Exact Online's OAuth2 facts: token lifetime, the refresh window and the token endpoint's daily calls. */
export const EXACT_OAUTH = {
  accessTokenLifetimeMs: 600_000,
  refreshWindowMs: 30_000,
  tokenCallsPerDay: 200,
} as const;

const DAY_MS = 86_400_000;
const DEFAULT_REFRESH_MARGIN_MS = 5_000;
// Exact's answer to a refresh inside an access token's life: `access_denied`, "access_token not expired".
const TOO_EARLY = /access_token not expired|TooEarlyToRefreshTokens/;

/** What {@link createExactTokenSource} needs besides the OAuth options. */
export interface ExactTokenSourceOptions {
  /** The token endpoint: `exactTokenUrl(region)`, or an emulator's. */
  tokenUrl: string;
  oauth: ExactOAuthOptions;
  /** The cross-process refresh lock: `store.syncState` of an IntegrationStore. */
  lock: OAuth2RefreshLock;
  fetch?: typeof fetch;
  logger?: Logger;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * The access-token source of an Exact Online connection: core's token manager with Exact's refresh window, the
 * lock shared by every process, the daily token-call budget, and a re-consent message on a dead refresh token.
 * @throws IntegrationError `CONFIG_ERROR` naming the bad field (`clientId`, `tokens`, `lock`…), never a secret.
 */
export function createExactTokenSource(options: ExactTokenSourceOptions): AccessTokenSource {
  const { tokenUrl, oauth, lock } = options;
  const now = options.now ?? (() => Date.now());
  const base =
    options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const manager = createOAuth2TokenManager({
    tokenUrl,
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    connection: oauth.connection ?? `exact-online:${oauth.clientId}`,
    tokens: oauth.tokens,
    lock,
    clock: now,
    minRefreshWindowMs: EXACT_OAUTH.refreshWindowMs - (oauth.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS),
    fetch: countingFetch(base, oauth.maxTokenCallsPerDay ?? EXACT_OAUTH.tokenCallsPerDay, now),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  // Exact refuses a refresh as too early while the access token has not expired on its clock; the client's own
  // estimate runs ahead by the token call's time, so on that answer the stored token is still good: use it.
  const orStillValid = async (result: ApiResult<Secret>): Promise<ApiResult<Secret>> => {
    if (result.success || result.error.code !== 'AUTH_ERROR' || !TOO_EARLY.test(result.error.message)) {
      return result;
    }
    const stored = await oauth.tokens.read();
    return stored.success && stored.data ? ok(stored.data.accessToken) : result;
  };
  return {
    getAccessToken: async () => reconsent(await orStillValid(await manager.getAccessToken())),
    refreshAccessToken: async (refresh) => reconsent(await manager.refreshAccessToken(refresh)),
  };
}

// A token endpoint that refused the refresh token (invalid_grant, or Exact's `unauthorized_client` "Old refresh
// token used.") or a connection with no tokens stored cannot be cured by retrying: the message says what the user
// must do. Other refusals (`access_denied` for a refresh asked too early, a rate limit) are left as they are.
function reconsent(result: ApiResult<Secret>): ApiResult<Secret> {
  if (result.success || result.error.code !== 'AUTH_ERROR') return result;
  const { error } = result;
  const dead =
    error.field === 'refreshToken' ||
    error.field === 'tokens' ||
    /\b(invalid_grant|unauthorized_client)\b/.test(error.message);
  if (!dead) return result;
  return {
    success: false,
    error: reviseError(error, {
      message: `${error.message}. Exact Online: the connection needs re-consent — send the user through the authorization (/api/oauth2/auth) again and store the new token set (refresh tokens are single-use and lapse after about 30 days unused)`,
    }),
  };
}

// Counts the token endpoint's calls over a rolling day and answers a 429 in its place once the budget is spent: the
// manager then keeps the current access token while it lasts and reports the wait.
function countingFetch(base: typeof fetch, perDay: number, now: () => number): typeof fetch {
  let calls: number[] = [];
  return async (input, init) => {
    const at = now();
    calls = calls.filter((time) => time > at - DAY_MS);
    if (calls.length >= perDay) {
      const freesAt = (calls[calls.length - perDay] ?? at) + DAY_MS;
      return new Response(
        JSON.stringify({
          error_description: `Exact Online allows ${perDay} token calls a day; this client made ${calls.length} in the last 24 hours; the next is allowed at ${new Date(freesAt).toISOString()}`,
        }),
        {
          status: 429,
          headers: {
            'content-type': 'application/json',
            'retry-after': String(Math.max(1, Math.ceil((freesAt - at) / 1000))),
          },
        },
      );
    }
    calls.push(at);
    return base(input, init);
  };
}
