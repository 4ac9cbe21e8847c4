import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from '../secrets/secret.ts';
import {
  isOAuth2TokenSet,
  type OAuth2TokenSet,
  oauth2TokenResponseSchema,
  parseOAuth2TokenSet,
  serializeOAuth2TokenSet,
  tokenSetFromResponse,
} from './token-set.ts';

const NOW = Date.UTC(2026, 0, 1);
const ACCESS = 'at-5a1d0c9e7f3b';
const REFRESH = 'rt-0c9e7f3b5a1d';

describe('oauth2TokenResponseSchema', () => {
  it('takes RFC 6749 §5.1 answers, extra members ignored, a numeric-string lifetime too', () => {
    const parsed = oauth2TokenResponseSchema.safeParse({
      access_token: ACCESS,
      token_type: 'bearer',
      expires_in: '600',
      refresh_token: REFRESH,
      id_token: 'x',
    });
    expect(parsed.success).toBe(true);
    expect(oauth2TokenResponseSchema.safeParse({ access_token: ACCESS, token_type: 'Bearer' }).success).toBe(
      true,
    );
  });

  it.each([
    ['no access token', { token_type: 'Bearer' }],
    ['an empty access token', { access_token: '', token_type: 'Bearer' }],
    ['no token type', { access_token: ACCESS }],
    ['a token type other than Bearer', { access_token: ACCESS, token_type: 'mac' }],
    ['a negative lifetime', { access_token: ACCESS, token_type: 'Bearer', expires_in: -1 }],
    ['a lifetime that is not a number', { access_token: ACCESS, token_type: 'Bearer', expires_in: 'soon' }],
  ])('refuses %s', (_, body) => {
    expect(oauth2TokenResponseSchema.safeParse(body).success).toBe(false);
  });
});

describe('tokenSetFromResponse', () => {
  it('computes expiresAt from the clock and wraps the tokens in Secrets', () => {
    const set = tokenSetFromResponse(
      { access_token: ACCESS, token_type: 'Bearer', expires_in: 600, refresh_token: REFRESH, scope: 'a b' },
      NOW,
    );
    expect(set.expiresAt).toBe(NOW + 600_000);
    expect(set.obtainedAt).toBe(NOW);
    expect(set.accessToken.reveal()).toBe(ACCESS);
    expect(set.refreshToken?.reveal()).toBe(REFRESH);
    expect(set.scope).toBe('a b');
    expect(JSON.stringify(set)).not.toContain(ACCESS);
    expect(inspect(set)).not.toContain(REFRESH);
  });

  it('keeps the previous refresh token and scope when a refresh answer has none (non-rotating servers)', () => {
    const previous = tokenSetFromResponse(
      { access_token: 'old', token_type: 'Bearer', expires_in: 60, refresh_token: REFRESH, scope: 'read' },
      NOW,
    );
    const next = tokenSetFromResponse(
      { access_token: ACCESS, token_type: 'Bearer', expires_in: '60' },
      NOW + 1,
      previous,
    );
    expect(next.refreshToken?.reveal()).toBe(REFRESH);
    expect(next.scope).toBe('read');
    expect(next.expiresAt).toBe(NOW + 1 + 60_000);
  });

  it('has no expiry when the server gave no lifetime', () => {
    expect(tokenSetFromResponse({ access_token: ACCESS, token_type: 'Bearer' }, NOW).expiresAt).toBeNull();
  });
});

describe('serializeOAuth2TokenSet / parseOAuth2TokenSet', () => {
  const set: OAuth2TokenSet = {
    accessToken: new Secret(ACCESS),
    tokenType: 'Bearer',
    expiresAt: NOW + 600_000,
    refreshToken: new Secret(REFRESH),
    scope: null,
    obtainedAt: NOW,
  };

  it('round-trips a set', () => {
    const parsed = parseOAuth2TokenSet(serializeOAuth2TokenSet(set));
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.data.accessToken.reveal()).toBe(ACCESS);
    expect(parsed.data.refreshToken?.reveal()).toBe(REFRESH);
    expect({ ...parsed.data, accessToken: 0, refreshToken: 0 }).toEqual({
      ...set,
      accessToken: 0,
      refreshToken: 0,
    });
    expect(isOAuth2TokenSet(parsed.data)).toBe(true);
  });

  it('round-trips a set without a refresh token or expiry', () => {
    const parsed = parseOAuth2TokenSet(
      serializeOAuth2TokenSet({ ...set, refreshToken: null, expiresAt: null }),
    );
    expect(parsed.success && parsed.data.refreshToken === null && parsed.data.expiresAt === null).toBe(true);
  });

  it.each([
    ['not JSON', `{"accessToken":"${ACCESS}`],
    ['another version', JSON.stringify({ ...JSON.parse(serializeOAuth2TokenSet(set)), v: 2 })],
    ['not a string', 42],
    [
      'a set without its access token',
      JSON.stringify({ ...JSON.parse(serializeOAuth2TokenSet(set)), accessToken: '' }),
    ],
  ])('answers CONFIG_ERROR for %s, never quoting it', (_, text) => {
    const parsed = parseOAuth2TokenSet(text);
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(parsed.error.code).toBe('CONFIG_ERROR');
    expect(parsed.error.field).toBe('tokens');
    expect(parsed.error.message).toContain('authorize the connection again');
    expect(JSON.stringify(parsed.error)).not.toContain(ACCESS);
  });
});

describe('isOAuth2TokenSet', () => {
  it('tells a token set from look-alikes without throwing', () => {
    expect(
      isOAuth2TokenSet({
        accessToken: ACCESS,
        tokenType: 'Bearer',
        expiresAt: null,
        refreshToken: null,
        scope: null,
        obtainedAt: 0,
      }),
    ).toBe(false);
    expect(isOAuth2TokenSet(null)).toBe(false);
    expect(
      isOAuth2TokenSet(
        new Proxy(
          {},
          {
            get() {
              throw new Error('trap');
            },
          },
        ),
      ),
    ).toBe(false);
  });
});
