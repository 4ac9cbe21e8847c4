import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { jsonResponse, scriptedFetch, tokenBody } from '../../test-support/token-fetch.ts';
import { fromBase64 } from '../encoding/encoding.ts';
import { requestTokens, type TokenRequest } from './token-request.ts';

const NOW = Date.UTC(2026, 0, 1);
const CLIENT_SECRET = 'cs-3f9a1b7e2d';
const REFRESH = 'rt-8d2e4c6a0b';

const request = (overrides: Partial<TokenRequest> = {}): TokenRequest => ({
  tokenUrl: 'https://auth.example.test/oauth/token',
  clientId: 'client-1',
  clientSecret: CLIENT_SECRET,
  clientAuth: 'body',
  grant: 'refresh_token',
  params: { grant_type: 'refresh_token', refresh_token: REFRESH },
  secretParams: [REFRESH],
  fetch: undefined,
  timeoutMs: 1000,
  now: () => NOW,
  ...overrides,
});

const everyRendering = (error: unknown) =>
  [JSON.stringify(error), inspect(error), String((error as Error).stack), String(error)].join('\n');

describe('requestTokens', () => {
  it('POSTs the grant as a form with the client credentials in the body', async () => {
    const endpoint = scriptedFetch(() => jsonResponse(200, tokenBody('at-1', { refresh_token: 'rt-2' })));
    const { result } = await requestTokens(request({ fetch: endpoint.fetch }));
    expect(result.success).toBe(true);
    const [call] = endpoint.calls;
    expect(call?.request.method).toBe('POST');
    expect(call?.request.url).toBe('https://auth.example.test/oauth/token');
    expect(call?.request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(call?.request.headers.get('accept')).toBe('application/json');
    expect(call?.request.headers.get('authorization')).toBeNull();
    expect(Object.fromEntries(call?.form ?? [])).toEqual({
      grant_type: 'refresh_token',
      refresh_token: REFRESH,
      client_id: 'client-1',
      client_secret: CLIENT_SECRET,
    });
  });

  it("counts the token's lifetime from when the request left, not from when the slow answer came", async () => {
    let clock = NOW;
    const endpoint = scriptedFetch(() => {
      clock += 5_000; // the token endpoint takes 5 s to answer
      return jsonResponse(200, tokenBody('at-1', { expires_in: 600 }));
    });
    const { result } = await requestTokens(request({ fetch: endpoint.fetch, now: () => clock }));
    expect(result.success && result.data).toMatchObject({ obtainedAt: NOW, expiresAt: NOW + 600_000 });
  });

  it('sends HTTP Basic with form-encoded id and secret for clientAuth basic (RFC 6749 §2.3.1)', async () => {
    const endpoint = scriptedFetch(() => jsonResponse(200, tokenBody('at-1')));
    await requestTokens(
      request({ fetch: endpoint.fetch, clientAuth: 'basic', clientId: 'id:1', clientSecret: 's p+c' }),
    );
    const header = endpoint.calls[0]?.request.headers.get('authorization') ?? '';
    expect(header.startsWith('Basic ')).toBe(true);
    expect(new TextDecoder().decode(fromBase64(header.slice(6)))).toBe('id%3A1:s+p%2Bc');
    expect(endpoint.calls[0]?.form.has('client_secret')).toBe(false);
    expect(endpoint.calls[0]?.form.has('client_id')).toBe(false);
  });

  it('sends client_id alone for a public client, whatever clientAuth says', async () => {
    const endpoint = scriptedFetch(() => jsonResponse(200, tokenBody('at-1')));
    await requestTokens(request({ fetch: endpoint.fetch, clientAuth: 'basic', clientSecret: undefined }));
    expect(endpoint.calls[0]?.request.headers.get('authorization')).toBeNull();
    expect(endpoint.calls[0]?.form.get('client_id')).toBe('client-1');
    expect(endpoint.calls[0]?.form.has('client_secret')).toBe(false);
  });

  it('returns the token set, its expiry from the clock, keeping the previous refresh token when none comes', async () => {
    const endpoint = scriptedFetch(() => jsonResponse(200, tokenBody('at-1', { expires_in: 600 })));
    const previous = {
      accessToken: { reveal: () => 'old' },
      refreshToken: { reveal: () => REFRESH },
    } as never;
    const { result } = await requestTokens(request({ fetch: endpoint.fetch, previous }));
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.accessToken.reveal()).toBe('at-1');
    expect(result.data.expiresAt).toBe(NOW + 600_000);
    expect(result.data.refreshToken?.reveal()).toBe(REFRESH);
  });

  it('takes tokens from an error status too: a rotated refresh token must never be dropped', async () => {
    const endpoint = scriptedFetch(() => jsonResponse(429, tokenBody('at-9', { refresh_token: 'rt-9' })));
    const { result } = await requestTokens(request({ fetch: endpoint.fetch }));
    expect(result.success && result.data.refreshToken?.reveal()).toBe('rt-9');
  });

  it('turns an RFC 6749 error body into a typed error with the oauth error code, secrets scrubbed', async () => {
    const endpoint = scriptedFetch(() =>
      jsonResponse(400, {
        error: 'invalid_grant',
        error_description: `token ${REFRESH} / ${CLIENT_SECRET} unknown`,
      }),
    );
    const { result, oauthError } = await requestTokens(request({ fetch: endpoint.fetch }));
    expect(oauthError).toBe('invalid_grant');
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.code).toBe('AUTH_ERROR');
    expect(result.error.retryable).toBe(false);
    const rendered = everyRendering(result.error);
    expect(rendered).not.toContain(REFRESH);
    expect(rendered).not.toContain(CLIENT_SECRET);
  });

  it('reads a 200 that carries an RFC 6749 error as that error', async () => {
    const endpoint = scriptedFetch(() => jsonResponse(200, { error: 'invalid_grant' }));
    const { result, oauthError } = await requestTokens(request({ fetch: endpoint.fetch }));
    expect(oauthError).toBe('invalid_grant');
    expect(!result.success && result.error.code).toBe('AUTH_ERROR');
  });

  it('answers INVALID_RESPONSE, not retryable, for a 2xx that is no token response', async () => {
    for (const body of [tokenBody('at', { token_type: 'mac' }), 'not json']) {
      const endpoint = scriptedFetch(() =>
        typeof body === 'string' ? new Response(body, { status: 200 }) : jsonResponse(200, body),
      );
      const { result } = await requestTokens(request({ fetch: endpoint.fetch }));
      expect(!result.success && result.error.code).toBe('INVALID_RESPONSE');
      expect(!result.success && result.error.retryable).toBe(false);
    }
    const endpoint = scriptedFetch(() => jsonResponse(200, tokenBody('at', { token_type: 'mac' })));
    const { result } = await requestTokens(request({ fetch: endpoint.fetch }));
    expect(!result.success && result.error.field).toBe('token_type');
  });

  it('does not follow a redirect (the request carries the client secret)', async () => {
    const endpoint = scriptedFetch(
      () => new Response(null, { status: 302, headers: { location: 'https://evil.test/' } }),
    );
    const { result } = await requestTokens(request({ fetch: endpoint.fetch }));
    expect(endpoint.calls).toHaveLength(1);
    expect(!result.success && result.error.code).toBe('INVALID_RESPONSE');
    expect(!result.success && result.error.field).toBe('tokenUrl');
  });

  it('answers NETWORK_ERROR for a fetch that fails, TIMEOUT for one that outlasts timeoutMs', async () => {
    const refused = await requestTokens(
      request({
        fetch: (async () => {
          throw Object.assign(new TypeError(`fetch failed for ${REFRESH}`), {
            cause: { code: 'ECONNREFUSED' },
          });
        }) as never,
      }),
    );
    expect(!refused.result.success && refused.result.error.code).toBe('NETWORK_ERROR');
    expect(!refused.result.success && refused.result.error.message).toContain('ECONNREFUSED');
    expect(everyRendering(!refused.result.success && refused.result.error)).not.toContain(REFRESH);

    const hanging = (async (_input: unknown, init?: RequestInit) =>
      new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      )) as never;
    const slow = await requestTokens(request({ fetch: hanging, timeoutMs: 20 }));
    expect(!slow.result.success && slow.result.error.code).toBe('TIMEOUT');
    expect(!slow.result.success && slow.result.error.retryable).toBe(true);
  });

  it('answers OPERATION_FAILED for a fetch that returns no Response', async () => {
    const { result } = await requestTokens(request({ fetch: (async () => 'nope') as never }));
    expect(!result.success && result.error.code).toBe('OPERATION_FAILED');
    expect(!result.success && result.error.field).toBe('fetch');
  });

  it('classifies an oversized error body by its status', async () => {
    const endpoint = scriptedFetch(() => new Response('x'.repeat(2 * 1024 * 1024), { status: 503 }));
    const { result } = await requestTokens(request({ fetch: endpoint.fetch }));
    expect(!result.success && result.error.code).toBe('SERVER_ERROR');
  });
});
