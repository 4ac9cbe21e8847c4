import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { jsonResponse, scriptedFetch, tokenBody } from '../../test-support/token-fetch.ts';
import { Secret } from '../secrets/secret.ts';
import { type ExchangeCodeOptions, exchangeCode, statesMatch } from './exchange-code.ts';

const NOW = Date.UTC(2026, 0, 1);
const CLIENT_SECRET = 'cs-7e2d3f9a1b';
const CODE = 'code-1b7e2d3f9a';
const VERIFIER = `${'v'.repeat(20)}dBjftJeZ4CVP-mB92K27uhbUJU`;

const options = (
  fetch: typeof globalThis.fetch,
  overrides: Partial<ExchangeCodeOptions> = {},
): ExchangeCodeOptions => ({
  tokenUrl: 'https://auth.example.test/oauth/token',
  clientId: 'client-1',
  clientSecret: new Secret(CLIENT_SECRET),
  code: CODE,
  codeVerifier: VERIFIER,
  redirectUri: 'https://app.example.test/callback',
  expectedState: 'state-123',
  receivedState: 'state-123',
  fetch,
  clock: () => NOW,
  ...overrides,
});

const everyRendering = (error: unknown) =>
  [JSON.stringify(error), inspect(error), String((error as Error).stack), String(error)].join('\n');

describe('exchangeCode', () => {
  it('exchanges the code with its verifier and redirect URI for a token set', async () => {
    const endpoint = scriptedFetch(() =>
      jsonResponse(200, tokenBody('at-1', { refresh_token: 'rt-1', expires_in: 600 })),
    );
    const result = await exchangeCode(options(endpoint.fetch));
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.accessToken.reveal()).toBe('at-1');
    expect(result.data.refreshToken?.reveal()).toBe('rt-1');
    expect(result.data.expiresAt).toBe(NOW + 600_000);
    expect(Object.fromEntries(endpoint.calls[0]?.form ?? [])).toEqual({
      grant_type: 'authorization_code',
      code: CODE,
      redirect_uri: 'https://app.example.test/callback',
      code_verifier: VERIFIER,
      client_id: 'client-1',
      client_secret: CLIENT_SECRET,
    });
  });

  it.each([
    ['a different state', 'state-124'],
    ['a state of another length', 'state-1234'],
    ['no state', undefined],
    ['a null state', null],
  ])('refuses %s with AUTH_ERROR and sends nothing', async (_, receivedState) => {
    const endpoint = scriptedFetch(() => jsonResponse(200, tokenBody('at-1')));
    const result = await exchangeCode(options(endpoint.fetch, { receivedState }));
    expect(endpoint.calls).toHaveLength(0);
    expect(!result.success && result.error.code).toBe('AUTH_ERROR');
    expect(!result.success && result.error.field).toBe('receivedState');
    expect(!result.success && result.error.retryable).toBe(false);
  });

  it('answers a spent code as AUTH_ERROR (invalid_grant), with no secret in any rendering', async () => {
    const endpoint = scriptedFetch(() =>
      jsonResponse(400, {
        error: 'invalid_grant',
        error_description: `code ${CODE} with verifier ${VERIFIER} was used`,
      }),
    );
    const logged: unknown[] = [];
    const result = await exchangeCode(options(endpoint.fetch));
    expect(result.success).toBe(false);
    if (result.success) return;
    logged.push(result.error, result.error.toJSON());
    expect(result.error.code).toBe('AUTH_ERROR');
    expect(result.error.field).toBe('code');
    const rendered = everyRendering(result.error) + JSON.stringify(logged);
    for (const secret of [CODE, VERIFIER, CLIENT_SECRET]) expect(rendered).not.toContain(secret);
  });

  it.each([
    ['tokenUrl', { tokenUrl: 'not a url' }],
    ['code', { code: '' }],
    ['codeVerifier', { codeVerifier: 'short' }],
    ['expectedState', { expectedState: '' }],
    ['clientAuth', { clientAuth: 'post' }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['clientSecret', { clientSecret: 42 }],
  ])('answers VALIDATION_ERROR naming %s, never its value', async (field, overrides) => {
    const endpoint = scriptedFetch(() => jsonResponse(200, tokenBody('at-1')));
    const result = await exchangeCode(options(endpoint.fetch, overrides as never));
    expect(endpoint.calls).toHaveLength(0);
    expect(!result.success && result.error.code).toBe('VALIDATION_ERROR');
    expect(!result.success && result.error.issues?.map((issue) => issue.field)).toContain(field);
    expect(everyRendering(!result.success && result.error)).not.toContain(CLIENT_SECRET);
  });

  it('answers CONFIG_ERROR for a clock that is not a time, and never rejects', async () => {
    const endpoint = scriptedFetch(() => jsonResponse(200, tokenBody('at-1')));
    const result = await exchangeCode(options(endpoint.fetch, { clock: () => Number.NaN }));
    expect(!result.success && result.error.code).toBe('CONFIG_ERROR');
    expect(!result.success && result.error.field).toBe('clock');
    await expect(exchangeCode(null as never)).resolves.toMatchObject({ success: false });
  });
});

describe('statesMatch', () => {
  it('is true only for the same text', () => {
    expect(statesMatch('abc', 'abc')).toBe(true);
    expect(statesMatch('abc', 'abd')).toBe(false);
    expect(statesMatch('abc', 'ab')).toBe(false);
    expect(statesMatch('abc', 42)).toBe(false);
  });
});
