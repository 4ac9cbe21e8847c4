import { describe, expect, it } from 'vitest';
import { createGrantStore, type GrantRules } from './grants.ts';
import { s256Challenge } from './pkce.ts';

const VERIFIER = 'v'.repeat(43);

function store(overrides: Partial<GrantRules> = {}) {
  let now = Date.UTC(2026, 0, 1);
  const grants = createGrantStore({
    accessTokenLifetimeSeconds: 600,
    authorizationCodeLifetimeSeconds: 60,
    rotateRefreshTokens: true,
    refreshWindowMs: undefined,
    reuse: { status: 400, error: 'invalid_grant', description: 'Old refresh token used.' },
    revokeOnReuse: true,
    now: () => now,
    ...overrides,
  });
  return { grants, advance: (ms: number) => (now += ms) };
}

const codeFor = (grants: ReturnType<typeof store>['grants']) =>
  grants.createCode({
    clientId: 'c',
    redirectUri: 'https://app.test/cb',
    challenge: s256Challenge(VERIFIER),
    method: 'S256',
    scope: 'read',
  });

describe('createGrantStore', () => {
  it('exchanges a code once, with its verifier and redirect URI', () => {
    const { grants } = store();
    const code = codeFor(grants);
    const outcome = grants.exchangeCode({
      clientId: 'c',
      code,
      redirectUri: 'https://app.test/cb',
      verifier: VERIFIER,
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.tokens).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'read' });
    expect(grants.verifyAccessToken(outcome.tokens.access_token)).toEqual({ clientId: 'c', scope: 'read' });
    expect(grants.stats().codeExchanges).toBe(1);
  });

  it.each([
    ['a wrong verifier', { verifier: 'w'.repeat(43) }, 'code_verifier'],
    ['no verifier', { verifier: undefined }, 'code_verifier'],
    ['another redirect URI', { redirectUri: 'https://app.test/other' }, 'redirect_uri'],
    ['another client', { clientId: 'd' }, 'invalid'],
  ])('refuses a code exchange with %s as invalid_grant', (_, change, words) => {
    const { grants } = store();
    const code = codeFor(grants);
    const outcome = grants.exchangeCode({
      clientId: 'c',
      code,
      redirectUri: 'https://app.test/cb',
      verifier: VERIFIER,
      ...change,
    });
    expect(outcome).toMatchObject({ ok: false, status: 400, error: 'invalid_grant' });
    expect(!outcome.ok && outcome.description).toContain(words);
  });

  it('refuses an expired code, and a code used twice revokes what it granted', () => {
    const { grants, advance } = store();
    const late = codeFor(grants);
    advance(60_000);
    expect(
      grants.exchangeCode({
        clientId: 'c',
        code: late,
        redirectUri: 'https://app.test/cb',
        verifier: VERIFIER,
      }).ok,
    ).toBe(false);
    const code = codeFor(grants);
    const first = grants.exchangeCode({
      clientId: 'c',
      code,
      redirectUri: 'https://app.test/cb',
      verifier: VERIFIER,
    });
    const second = grants.exchangeCode({
      clientId: 'c',
      code,
      redirectUri: 'https://app.test/cb',
      verifier: VERIFIER,
    });
    expect(second.ok).toBe(false);
    if (!first.ok) throw new Error('expected tokens');
    expect(grants.verifyAccessToken(first.tokens.access_token)).toBeUndefined();
    expect(grants.stats().revokedGrants).toBe(1);
  });

  it('rotates refresh tokens: each is single-use, reuse is answered as configured and revokes the grant', () => {
    const { grants } = store();
    const first = grants.issue({ clientId: 'c' });
    const second = grants.refresh({ clientId: 'c', refreshToken: first.refresh_token });
    if (!second.ok) throw new Error('expected tokens');
    expect(second.tokens.refresh_token).not.toBe(first.refresh_token);
    expect(grants.verifyAccessToken(second.tokens.access_token)).toBeDefined();
    // The previous access token still works until it lapses.
    expect(grants.verifyAccessToken(first.access_token)).toBeDefined();
    const reused = grants.refresh({ clientId: 'c', refreshToken: first.refresh_token });
    expect(reused).toEqual({
      ok: false,
      status: 400,
      error: 'invalid_grant',
      description: 'Old refresh token used.',
    });
    // The whole grant is dead: the newest tokens too.
    expect(grants.verifyAccessToken(second.tokens.access_token)).toBeUndefined();
    expect(grants.refresh({ clientId: 'c', refreshToken: second.tokens.refresh_token }).ok).toBe(false);
    expect(grants.stats()).toMatchObject({
      refreshes: 1,
      reusedRefreshTokens: 1,
      revokedGrants: 1,
      invalidRefreshTokens: 1,
    });
  });

  it('keeps the grant alive on reuse when revokeOnReuse is off, and answers reuse as configured', () => {
    const { grants } = store({
      revokeOnReuse: false,
      reuse: { status: 401, error: 'unauthorized_client', description: 'Old refresh token used.' },
    });
    const first = grants.issue({ clientId: 'c' });
    const second = grants.refresh({ clientId: 'c', refreshToken: first.refresh_token });
    if (!second.ok) throw new Error('expected tokens');
    expect(grants.refresh({ clientId: 'c', refreshToken: first.refresh_token })).toMatchObject({
      status: 401,
      error: 'unauthorized_client',
    });
    expect(grants.refresh({ clientId: 'c', refreshToken: second.tokens.refresh_token }).ok).toBe(true);
  });

  it('keeps one refresh token when rotation is off', () => {
    const { grants } = store({ rotateRefreshTokens: false });
    const first = grants.issue({ clientId: 'c' });
    for (let i = 0; i < 3; i++) {
      const next = grants.refresh({ clientId: 'c', refreshToken: first.refresh_token });
      expect(next.ok && next.tokens.refresh_token).toBe(first.refresh_token);
    }
    expect(grants.stats().refreshes).toBe(3);
  });

  it('refuses a refresh earlier than refreshWindowMs before expiry with TooEarlyToRefreshTokens', () => {
    const { grants, advance } = store({ refreshWindowMs: 30_000 });
    const first = grants.issue({ clientId: 'c' });
    advance(600_000 - 31_000);
    expect(grants.refresh({ clientId: 'c', refreshToken: first.refresh_token })).toEqual({
      ok: false,
      status: 400,
      error: 'access_denied',
      description: 'Rate limit exceeded: access_token not expired',
      headers: { Reason: 'TooEarlyToRefreshTokens' },
    });
    advance(2_000);
    expect(grants.refresh({ clientId: 'c', refreshToken: first.refresh_token }).ok).toBe(true);
    expect(grants.stats()).toMatchObject({ tooEarly: 1, refreshes: 1 });
  });

  it('expires access tokens, issues already-expired ones on request, revokes and clears', () => {
    const { grants, advance } = store();
    const tokens = grants.issue({ clientId: 'c' });
    advance(599_999);
    expect(grants.verifyAccessToken(tokens.access_token)).toBeDefined();
    advance(1);
    expect(grants.verifyAccessToken(tokens.access_token)).toBeUndefined();
    const expired = grants.issue({ clientId: 'c', expiresInSeconds: 0 });
    expect(expired.expires_in).toBe(0);
    expect(grants.verifyAccessToken(expired.access_token)).toBeUndefined();
    const live = grants.issue({ clientId: 'c' });
    expect(grants.revoke(live.refresh_token)).toBe(true);
    expect(grants.verifyAccessToken(live.access_token)).toBeUndefined();
    expect(grants.revoke('unknown')).toBe(false);
    grants.clear();
    expect(grants.stats().revokedGrants).toBe(0);
    expect(grants.refresh({ clientId: 'c', refreshToken: live.refresh_token }).ok).toBe(false);
  });
});
