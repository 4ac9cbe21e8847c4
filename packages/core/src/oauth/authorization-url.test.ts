import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildAuthorizationUrl } from './authorization-url.ts';
import { codeChallengeS256 } from './pkce.ts';

const base = {
  authorizeUrl: 'https://auth.example.test/oauth/authorize?tenant=acme',
  clientId: 'client-1',
  redirectUri: 'https://app.example.test/callback',
};

describe('buildAuthorizationUrl', () => {
  it('builds the authorization-code URL with PKCE S256 and a random state, keeping the endpoint query', async () => {
    const result = await buildAuthorizationUrl({
      ...base,
      scopes: ['read', 'write:all'],
      extraParams: { prompt: 'consent' },
    });
    expect(result.success).toBe(true);
    if (!result.success) return;
    const url = new URL(result.data.url);
    expect(url.origin + url.pathname).toBe('https://auth.example.test/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenant: 'acme',
      prompt: 'consent',
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: base.redirectUri,
      scope: 'read write:all',
      state: result.data.state,
      code_challenge: result.data.codeChallenge,
      code_challenge_method: 'S256',
    });
    expect(result.data.codeChallenge).toBe(await codeChallengeS256(result.data.codeVerifier.reveal()));
    expect(result.data.state).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('never puts the verifier in the URL, and prints it redacted', async () => {
    const result = await buildAuthorizationUrl(base);
    if (!result.success) throw result.error;
    const verifier = result.data.codeVerifier.reveal();
    expect(result.data.url).not.toContain(verifier);
    expect(JSON.stringify(result.data)).not.toContain(verifier);
    expect(inspect(result.data)).not.toContain(verifier);
  });

  it('uses a state the caller gives, omits scope when there is none, and makes new values every call', async () => {
    const first = await buildAuthorizationUrl({ ...base, state: 'my state 1' });
    const second = await buildAuthorizationUrl({ ...base, state: 'my state 1' });
    if (!first.success || !second.success) throw new Error('expected success');
    expect(first.data.state).toBe('my state 1');
    expect(new URL(first.data.url).searchParams.has('scope')).toBe(false);
    expect(first.data.codeVerifier.reveal()).not.toBe(second.data.codeVerifier.reveal());
  });

  it.each([
    ['authorizeUrl', { authorizeUrl: 'ftp://auth.example.test' }],
    ['authorizeUrl', { authorizeUrl: 'https://auth.example.test/a#frag' }],
    ['clientId', { clientId: '' }],
    ['redirectUri', { redirectUri: '/callback' }],
    ['scopes.1', { scopes: ['read', 'two words'] }],
    ['state', { state: '' }],
    ['extraParams.state', { extraParams: { state: 'forced' } }],
    ['extraParams.code_challenge_method', { extraParams: { code_challenge_method: 'plain' } }],
    ['(root)', { unknownOption: 1 }],
  ])('answers VALIDATION_ERROR naming %s', async (field, overrides) => {
    const result = await buildAuthorizationUrl({ ...base, ...overrides } as never);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.code).toBe('VALIDATION_ERROR');
    expect(result.error.issues?.map((issue) => issue.field)).toContain(field);
  });

  it('accepts a native app redirect URI with its own scheme', async () => {
    const result = await buildAuthorizationUrl({ ...base, redirectUri: 'com.example.app:/oauth2redirect' });
    expect(result.success).toBe(true);
  });

  it('never throws for options of the wrong kind', async () => {
    const hostile = [
      null,
      42,
      new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('trap');
          },
        },
      ),
      {
        ...base,
        scopes: new Proxy([], {
          get() {
            throw new Error('trap');
          },
        }),
      },
    ];
    for (const options of hostile) {
      const result = await buildAuthorizationUrl(options as never);
      expect(result.success).toBe(false);
      expect(!result.success && result.error.code).toBe('VALIDATION_ERROR');
    }
  });
});
