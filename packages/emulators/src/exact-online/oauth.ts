// Exact Online's token rules on top of the OAuth2 emulator's grant store (../oauth2/grants.ts): access tokens live
// 600 s; a refresh is refused until the access token's last 30 s (400 `access_denied` "Rate limit exceeded:
// access_token not expired", header `Reason: TooEarlyToRefreshTokens`); refresh tokens are single-use and rotate,
// and a spent one answers 401 `unauthorized_client` "Old refresh token used." and kills the grant until the user
// consents again; an unused refresh token lapses after about 30 days; the token endpoint takes 200 calls per user
// per day (wire notes, "## Exact Online"). Exact answers `expires_in` as a string ("600") and `token_type` as
// "bearer" (picqer/exact-php-client `Connection::acquireAccessToken` and its forks cast `(int) $body['expires_in']`;
// the string form is what integrations report). Guesses: the wording and status of the daily cap (400
// `access_denied` "Rate limit exceeded: token calls per day", `Reason: TooManyTokenRequests`) and of an expired
// refresh token (400 `invalid_grant`); the daily window resets at midnight UTC; each emulator has one user.
import { createGrantStore, type GrantOutcome, type GrantStore } from '../oauth2/grants.ts';

/** Exact's access token lifetime, seconds. */
export const EXACT_ACCESS_TOKEN_SECONDS = 600;
/** A refresh is allowed only this close (ms) to the access token's expiry. */
export const EXACT_REFRESH_WINDOW_MS = 30_000;
/** Token endpoint calls allowed per user per day. */
export const EXACT_TOKEN_CALLS_PER_DAY = 200;
/** An unused refresh token lapses after this long (ms): about 30 days. */
export const EXACT_REFRESH_TOKEN_LIFETIME_MS = 30 * 86_400_000;

const DAY_MS = 86_400_000;

/** Tokens as Exact's token endpoint answers them. */
export interface ExactTokens {
  access_token: string;
  token_type: 'bearer';
  expires_in: string;
  refresh_token: string;
}

/** What the token endpoint did, for tests of a client's refresh race. */
export interface ExactTokenStats {
  /** Every call of `POST /api/oauth2/token`, answered or refused. */
  tokenCalls: number;
  codeExchanges: number;
  refreshes: number;
  /** Answers 401 "Old refresh token used.". */
  oldRefreshTokenUsed: number;
  /** Answers 400 TooEarlyToRefreshTokens. */
  tooEarly: number;
  /** Calls refused by the daily cap. */
  dailyCapRefusals: number;
  /** Refresh attempts with an unknown, revoked or lapsed refresh token. */
  invalidRefreshTokens: number;
}

/** A token endpoint outcome: tokens, or an OAuth error with its status and headers. */
export type ExactTokenOutcome =
  | { ok: true; tokens: ExactTokens }
  | { ok: false; status: number; error: string; description: string; headers?: Record<string, string> };

/** The authorization server's state with Exact's rules. */
export interface ExactTokenService {
  createCode(input: { clientId: string; redirectUri: string }): string;
  exchangeCode(input: { clientId: string; code: string; redirectUri: string | undefined }): ExactTokenOutcome;
  refresh(input: { clientId: string; refreshToken: string }): ExactTokenOutcome;
  /** Tokens of a new grant without the browser round trip; not counted as a token call. */
  issue(clientId: string): ExactTokens;
  /** The client id of a valid access token. */
  verify(token: string): string | undefined;
  revoke(token: string): boolean;
  stats(): ExactTokenStats;
  clear(): void;
}

/** Creates Exact's token rules over a fresh grant store, on the clock `now`. */
export function createExactTokenService(options: {
  now: () => number;
  tokenCallsPerDay?: number;
}): ExactTokenService {
  const { now } = options;
  const cap = options.tokenCallsPerDay ?? EXACT_TOKEN_CALLS_PER_DAY;
  const grants: GrantStore = createGrantStore({
    accessTokenLifetimeSeconds: EXACT_ACCESS_TOKEN_SECONDS,
    authorizationCodeLifetimeSeconds: 600,
    rotateRefreshTokens: true,
    refreshWindowMs: EXACT_REFRESH_WINDOW_MS,
    reuse: { status: 401, error: 'unauthorized_client', description: 'Old refresh token used.' },
    revokeOnReuse: true,
    now,
  });
  let issuedAt = new Map<string, number>();
  let day = -1;
  let callsToday = 0;
  let mine = { tokenCalls: 0, dailyCapRefusals: 0, expiredRefreshTokens: 0 };

  const shaped = (outcome: GrantOutcome): ExactTokenOutcome => {
    if (!outcome.ok) return outcome;
    issuedAt.set(outcome.tokens.refresh_token, now());
    return {
      ok: true,
      tokens: {
        access_token: outcome.tokens.access_token,
        token_type: 'bearer',
        expires_in: String(outcome.tokens.expires_in),
        refresh_token: outcome.tokens.refresh_token,
      },
    };
  };

  // Counts a call against today's cap; the refusal when the cap is spent.
  const take = (): ExactTokenOutcome | undefined => {
    mine.tokenCalls += 1;
    const today = Math.floor(now() / DAY_MS);
    if (today !== day) {
      day = today;
      callsToday = 0;
    }
    callsToday += 1;
    if (callsToday <= cap) return undefined;
    mine.dailyCapRefusals += 1;
    return {
      ok: false,
      status: 400,
      error: 'access_denied',
      description: 'Rate limit exceeded: token calls per day',
      headers: { Reason: 'TooManyTokenRequests' },
    };
  };

  return {
    createCode: (input) =>
      grants.createCode({ ...input, challenge: undefined, method: 'plain', scope: undefined }),
    exchangeCode(input) {
      return take() ?? shaped(grants.exchangeCode({ ...input, verifier: undefined }));
    },
    refresh(input) {
      const refused = take();
      if (refused) return refused;
      const at = issuedAt.get(input.refreshToken);
      if (at !== undefined && now() - at > EXACT_REFRESH_TOKEN_LIFETIME_MS) {
        mine.expiredRefreshTokens += 1;
        return {
          ok: false,
          status: 400,
          error: 'invalid_grant',
          description: 'The refresh token has expired.',
        };
      }
      return shaped(grants.refresh(input));
    },
    issue(clientId) {
      const outcome = shaped({ ok: true, tokens: grants.issue({ clientId }) });
      return (outcome as { ok: true; tokens: ExactTokens }).tokens;
    },
    verify: (token) => grants.verifyAccessToken(token)?.clientId,
    revoke: (token) => grants.revoke(token),
    stats() {
      const inner = grants.stats();
      return {
        tokenCalls: mine.tokenCalls,
        codeExchanges: inner.codeExchanges,
        refreshes: inner.refreshes,
        oldRefreshTokenUsed: inner.reusedRefreshTokens,
        tooEarly: inner.tooEarly,
        dailyCapRefusals: mine.dailyCapRefusals,
        invalidRefreshTokens: inner.invalidRefreshTokens + mine.expiredRefreshTokens,
      };
    },
    clear() {
      grants.clear();
      issuedAt = new Map();
      day = -1;
      callsToday = 0;
      mine = { tokenCalls: 0, dailyCapRefusals: 0, expiredRefreshTokens: 0 };
    },
  };
}
