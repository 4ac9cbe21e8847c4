// The authorization server's memory: authorization codes, grants, and the access and refresh tokens issued for
// them, with the rules a strict server applies. Refresh tokens rotate and are single-use: presenting a spent one
// is answered as reuse, and by default revokes the whole grant (the connection is dead until the user consents
// again), as servers that detect refresh-token replay do. A refresh may also be refused while the access token
// has more than `refreshWindowMs` left.
import { randomBytes } from 'node:crypto';
import { type ChallengeMethod, verifierMatches } from './pkce.ts';

/** What a token request gets: tokens (RFC 6749 §5.1), or an error with its status (RFC 6749 §5.2). */
export type GrantOutcome =
  | { ok: true; tokens: IssuedTokens }
  | { ok: false; status: number; error: string; description: string; headers?: Record<string, string> };

/** A token response body. */
export interface IssuedTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope?: string;
}

/** How a spent refresh token is answered. */
export interface ReuseAnswer {
  status: number;
  error: string;
  description: string;
}

/** The rules of {@link createGrantStore}. */
export interface GrantRules {
  accessTokenLifetimeSeconds: number;
  authorizationCodeLifetimeSeconds: number;
  rotateRefreshTokens: boolean;
  /** A refresh earlier than this many ms before the access token lapses is refused; undefined: never. */
  refreshWindowMs: number | undefined;
  reuse: ReuseAnswer;
  revokeOnReuse: boolean;
  now: () => number;
}

/** Counts of what the token endpoint did. */
export interface OAuth2Stats {
  /** Codes exchanged for tokens. */
  codeExchanges: number;
  /** Successful refreshes. */
  refreshes: number;
  /** Refresh attempts with a spent (rotated) refresh token. */
  reusedRefreshTokens: number;
  /** Refreshes refused as too early. */
  tooEarly: number;
  /** Refresh attempts with an unknown or revoked refresh token. */
  invalidRefreshTokens: number;
  /** Grants revoked (reuse detected, or a code used twice). */
  revokedGrants: number;
}

interface Grant {
  clientId: string;
  scope: string | undefined;
  revoked: boolean;
  /** When the grant's newest access token lapses (epoch ms). */
  accessExpiresAt: number;
}

interface Code {
  clientId: string;
  redirectUri: string;
  challenge: string | undefined;
  method: ChallengeMethod;
  scope: string | undefined;
  expiresAt: number;
  /** The grant its exchange created, once used. */
  grantId: number | undefined;
}

/** The authorization server's state (one per emulator). */
export interface GrantStore {
  /** Records an authorization (the user consented) and returns its code. */
  createCode(input: {
    clientId: string;
    redirectUri: string;
    challenge: string | undefined;
    method: ChallengeMethod;
    scope: string | undefined;
  }): string;
  exchangeCode(input: {
    clientId: string;
    code: string;
    redirectUri: string | undefined;
    verifier: string | undefined;
  }): GrantOutcome;
  refresh(input: { clientId: string; refreshToken: string }): GrantOutcome;
  /** Issues tokens for a new grant directly (no browser round trip), e.g. to seed a test's store. */
  issue(input: { clientId: string; scope?: string; expiresInSeconds?: number }): IssuedTokens;
  /** The access token's grant when it is valid now (known, not expired, grant not revoked). */
  verifyAccessToken(token: string): { clientId: string; scope: string | undefined } | undefined;
  /** Revokes the grant of a refresh or access token, as a user disconnecting the app would. */
  revoke(token: string): boolean;
  stats(): OAuth2Stats;
  clear(): void;
}

const newToken = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

const zeroStats = (): OAuth2Stats => ({
  codeExchanges: 0,
  refreshes: 0,
  reusedRefreshTokens: 0,
  tooEarly: 0,
  invalidRefreshTokens: 0,
  revokedGrants: 0,
});

/** Creates an empty authorization server state with `rules`. */
export function createGrantStore(rules: GrantRules): GrantStore {
  let grants = new Map<number, Grant>();
  let codes = new Map<string, Code>();
  let refreshTokens = new Map<string, { grantId: number; spent: boolean }>();
  let accessTokens = new Map<string, { grantId: number; expiresAt: number }>();
  let stats = zeroStats();
  let nextGrant = 1;

  const invalidGrant = (description: string): GrantOutcome => ({
    ok: false,
    status: 400,
    error: 'invalid_grant',
    description,
  });

  function revokeGrant(grantId: number): void {
    const grant = grants.get(grantId);
    if (!grant || grant.revoked) return;
    grant.revoked = true;
    stats.revokedGrants += 1;
  }

  function issueFor(grantId: number, lifetimeSeconds = rules.accessTokenLifetimeSeconds): IssuedTokens {
    const grant = grants.get(grantId) as Grant;
    const access = newToken('at');
    const refresh = newToken('rt');
    const expiresAt = rules.now() + lifetimeSeconds * 1000;
    accessTokens.set(access, { grantId, expiresAt });
    refreshTokens.set(refresh, { grantId, spent: false });
    grant.accessExpiresAt = expiresAt;
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: lifetimeSeconds,
      refresh_token: refresh,
      ...(grant.scope === undefined ? {} : { scope: grant.scope }),
    };
  }

  function newGrant(clientId: string, scope: string | undefined): number {
    const id = nextGrant++;
    grants.set(id, { clientId, scope, revoked: false, accessExpiresAt: 0 });
    return id;
  }

  return {
    createCode(input) {
      const code = newToken('code');
      codes.set(code, {
        ...input,
        expiresAt: rules.now() + rules.authorizationCodeLifetimeSeconds * 1000,
        grantId: undefined,
      });
      return code;
    },

    exchangeCode(input) {
      const code = codes.get(input.code);
      if (!code || code.clientId !== input.clientId)
        return invalidGrant('The authorization code is invalid.');
      if (code.grantId !== undefined) {
        // RFC 6749 §4.1.2: a code used twice revokes what it granted.
        revokeGrant(code.grantId);
        return invalidGrant('The authorization code has already been used.');
      }
      if (rules.now() >= code.expiresAt) return invalidGrant('The authorization code has expired.');
      if (input.redirectUri !== code.redirectUri) {
        return invalidGrant('The redirect_uri does not match the authorization request.');
      }
      if (code.challenge !== undefined) {
        if (input.verifier === undefined || !verifierMatches(input.verifier, code.challenge, code.method)) {
          return invalidGrant('The code_verifier does not match the code_challenge.');
        }
      }
      code.grantId = newGrant(code.clientId, code.scope);
      stats.codeExchanges += 1;
      return { ok: true, tokens: issueFor(code.grantId) };
    },

    refresh(input) {
      const known = refreshTokens.get(input.refreshToken);
      const grant = known && grants.get(known.grantId);
      if (!known || !grant || grant.clientId !== input.clientId || grant.revoked) {
        stats.invalidRefreshTokens += 1;
        return invalidGrant('The refresh token is invalid or revoked.');
      }
      if (known.spent) {
        stats.reusedRefreshTokens += 1;
        if (rules.revokeOnReuse) revokeGrant(known.grantId);
        return { ok: false, ...rules.reuse };
      }
      if (
        rules.refreshWindowMs !== undefined &&
        rules.now() < grant.accessExpiresAt - rules.refreshWindowMs
      ) {
        stats.tooEarly += 1;
        return {
          ok: false,
          status: 400,
          error: 'access_denied',
          description: 'Rate limit exceeded: access_token not expired',
          headers: { Reason: 'TooEarlyToRefreshTokens' },
        };
      }
      stats.refreshes += 1;
      if (!rules.rotateRefreshTokens) {
        const tokens = issueFor(known.grantId);
        // The new refresh token issued by issueFor is dropped: the old one stays the grant's.
        refreshTokens.delete(tokens.refresh_token);
        return { ok: true, tokens: { ...tokens, refresh_token: input.refreshToken } };
      }
      known.spent = true;
      return { ok: true, tokens: issueFor(known.grantId) };
    },

    issue(input) {
      return issueFor(newGrant(input.clientId, input.scope), input.expiresInSeconds);
    },

    verifyAccessToken(token) {
      const known = accessTokens.get(token);
      const grant = known && grants.get(known.grantId);
      if (!known || !grant || grant.revoked || rules.now() >= known.expiresAt) return undefined;
      return { clientId: grant.clientId, scope: grant.scope };
    },

    revoke(token) {
      const grantId = refreshTokens.get(token)?.grantId ?? accessTokens.get(token)?.grantId;
      if (grantId === undefined) return false;
      revokeGrant(grantId);
      return true;
    },

    stats: () => ({ ...stats }),

    clear() {
      grants = new Map();
      codes = new Map();
      refreshTokens = new Map();
      accessTokens = new Map();
      stats = zeroStats();
      nextGrant = 1;
    },
  };
}
