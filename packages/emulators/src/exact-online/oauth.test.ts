import { describe, expect, it } from 'vitest';
import { createExactTokenService, type ExactTokenOutcome, type ExactTokens } from './oauth.ts';

function setup() {
  let clock = Date.UTC(2026, 2, 1, 8);
  const service = createExactTokenService({ now: () => clock });
  const advance = (ms: number) => {
    clock += ms;
  };
  const code = service.createCode({ clientId: 'app', redirectUri: 'https://app.test/cb' });
  const first = service.exchangeCode({ clientId: 'app', code, redirectUri: 'https://app.test/cb' });
  return { service, advance, tokens: tokensOf(first) };
}

function tokensOf(outcome: ExactTokenOutcome): ExactTokens {
  if (!outcome.ok) throw new Error(`refused: ${outcome.description}`);
  return outcome.tokens;
}

describe('Exact token rules', () => {
  it('issues 600 s bearer tokens with expires_in as a string', () => {
    const { service, tokens, advance } = setup();
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: '600' });
    expect(service.verify(tokens.access_token)).toBe('app');
    advance(600_000);
    expect(service.verify(tokens.access_token)).toBeUndefined();
  });

  it('refuses a refresh before the last 30 s with Reason TooEarlyToRefreshTokens', () => {
    const { service, tokens, advance } = setup();
    advance(569_000);
    const early = service.refresh({ clientId: 'app', refreshToken: tokens.refresh_token });
    expect(early).toEqual({
      ok: false,
      status: 400,
      error: 'access_denied',
      description: 'Rate limit exceeded: access_token not expired',
      headers: { Reason: 'TooEarlyToRefreshTokens' },
    });
    advance(1_000);
    const next = tokensOf(service.refresh({ clientId: 'app', refreshToken: tokens.refresh_token }));
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(service.stats()).toMatchObject({ tokenCalls: 3, tooEarly: 1, refreshes: 1 });
  });

  it('answers a reused refresh token 401 Old refresh token used, and the grant dies', () => {
    const { service, tokens, advance } = setup();
    advance(590_000);
    const next = tokensOf(service.refresh({ clientId: 'app', refreshToken: tokens.refresh_token }));
    const reused = service.refresh({ clientId: 'app', refreshToken: tokens.refresh_token });
    expect(reused).toMatchObject({
      ok: false,
      status: 401,
      error: 'unauthorized_client',
      description: 'Old refresh token used.',
    });
    expect(service.verify(next.access_token)).toBeUndefined();
    advance(590_000);
    expect(service.refresh({ clientId: 'app', refreshToken: next.refresh_token }).ok).toBe(false);
    expect(service.stats().oldRefreshTokenUsed).toBe(1);
  });

  it('lets an unused refresh token lapse after 30 days', () => {
    const { service, tokens, advance } = setup();
    advance(30 * 86_400_000 + 1);
    expect(service.refresh({ clientId: 'app', refreshToken: tokens.refresh_token })).toMatchObject({
      ok: false,
      error: 'invalid_grant',
    });
  });

  it('refuses token calls past 200 a day, and allows them again the next day', () => {
    let clock = Date.UTC(2026, 2, 1, 8);
    const service = createExactTokenService({ now: () => clock, tokenCallsPerDay: 3 });
    const redirectUri = 'https://app.test/cb';
    const call = () =>
      service.exchangeCode({
        clientId: 'app',
        code: service.createCode({ clientId: 'app', redirectUri }),
        redirectUri,
      });
    expect([call().ok, call().ok, call().ok]).toEqual([true, true, true]);
    expect(call()).toMatchObject({ ok: false, status: 400, headers: { Reason: 'TooManyTokenRequests' } });
    clock += 86_400_000;
    expect(call().ok).toBe(true);
    expect(service.stats()).toMatchObject({ tokenCalls: 5, dailyCapRefusals: 1 });
  });
});
