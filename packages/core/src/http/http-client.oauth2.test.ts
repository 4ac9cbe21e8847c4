// The client with `auth: { type: 'oauth2', tokens }`: a fresh token on every attempt, and a 401 answered by one
// forced refresh and one resend (auth.ts and the OAuth2 part of http-client.ts's attempt).
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { json, useLoopbackServers } from '../../test-support/loopback-server.ts';
import { jsonResponse, scriptedFetch, tokenBody } from '../../test-support/token-fetch.ts';
import type { LogFields } from '../logging/logger.ts';
import { createOAuth2TokenManager } from '../oauth/token-manager.ts';
import type { OAuth2TokenSet } from '../oauth/token-set.ts';
import { createMemoryOAuth2TokenStore } from '../oauth/token-store.ts';
import { IntegrationError } from '../result/errors.ts';
import { err, ok } from '../result/result.ts';
import { Secret } from '../secrets/secret.ts';
import { createManualClock } from '../testing/manual-clock.ts';
import { createHttpClient } from './http-client.ts';

const serve = useLoopbackServers();
const START = Date.UTC(2026, 0, 1);

const tokenSet = (access: string, refresh: string, expiresAt: number): OAuth2TokenSet => ({
  accessToken: new Secret(access),
  tokenType: 'Bearer',
  expiresAt,
  refreshToken: new Secret(refresh),
  scope: null,
  obtainedAt: START,
});

// Refresh token rt-n gives at-(n+1)/rt-(n+1); anything else is invalid_grant.
function rotatingEndpoint() {
  let generation = 1;
  return scriptedFetch(({ form }) => {
    if (form.get('refresh_token') !== `rt-${generation}`) {
      return jsonResponse(400, { error: 'invalid_grant', error_description: 'Old refresh token used.' });
    }
    generation += 1;
    return jsonResponse(
      200,
      tokenBody(`at-${generation}`, { refresh_token: `rt-${generation}`, expires_in: 600 }),
    );
  });
}

function manager(initial: OAuth2TokenSet, endpoint = rotatingEndpoint()) {
  const clock = createManualClock(START);
  const tokens = createMemoryOAuth2TokenStore(initial);
  const instance = createOAuth2TokenManager({
    tokenUrl: 'https://auth.example.test/oauth/token',
    clientId: 'client-1',
    clientSecret: 'cs-http-oauth2-31f',
    connection: 'api:tenant-1',
    tokens,
    clock: clock.now,
    fetch: endpoint.fetch,
  });
  return { manager: instance, clock, tokens, endpoint };
}

describe('createHttpClient with oauth2 auth', () => {
  it('sends the current token on every request and refreshes it before it lapses', async () => {
    const server = await serve((_, res) => json(res, 200, { ok: true }));
    const { manager: tokens, clock, endpoint } = manager(tokenSet('at-1', 'rt-1', START + 600_000));
    const client = createHttpClient({ baseUrl: server.url, auth: { type: 'oauth2', tokens } });
    expect((await client.get('/a')).success).toBe(true);
    clock.advance(600_000);
    expect((await client.get('/b')).success).toBe(true);
    expect(server.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer at-1',
      'Bearer at-2',
    ]);
    expect(endpoint.calls).toHaveLength(1);
  });

  it('answers a 401 with one forced refresh and one resend, the body sent again', async () => {
    const server = await serve((request, res) =>
      request.headers.authorization === 'Bearer at-2'
        ? json(res, 201, { id: 7 })
        : json(res, 401, { message: 'expired' }),
    );
    const { manager: tokens, endpoint } = manager(tokenSet('at-1', 'rt-1', START + 600_000));
    const client = createHttpClient({ baseUrl: server.url, auth: { type: 'oauth2', tokens } });
    const result = await client.post('/things', { json: { name: 'x' } });
    expect(result).toEqual({ success: true, data: { id: 7 } });
    expect(server.requests).toHaveLength(2);
    expect(server.requests.map((request) => request.body)).toEqual(['{"name":"x"}', '{"name":"x"}']);
    expect(server.requests[1]?.headers['content-type']).toBe('application/json');
    expect(server.requests[0]?.headers['idempotency-key']).toBe(
      server.requests[1]?.headers['idempotency-key'],
    );
    expect(endpoint.calls).toHaveLength(1);
  });

  it('refreshes once per call: a second 401 is the answer', async () => {
    const server = await serve((_, res) => json(res, 401, { message: 'no access' }));
    const { manager: tokens, endpoint } = manager(tokenSet('at-1', 'rt-1', START + 600_000));
    const client = createHttpClient({ baseUrl: server.url, auth: { type: 'oauth2', tokens } });
    const result = await client.get('/a');
    expect(!result.success && result.error.code).toBe('AUTH_ERROR');
    expect(!result.success && result.error.status).toBe(401);
    expect(server.requests).toHaveLength(2);
    expect(endpoint.calls).toHaveLength(1);
  });

  it('fails with the refresh error (re-consent) when the refresh after a 401 fails, sending nothing more', async () => {
    const server = await serve((_, res) => json(res, 401, { message: 'revoked' }));
    const endpoint = scriptedFetch(() =>
      jsonResponse(400, { error: 'invalid_grant', error_description: 'Old refresh token used.' }),
    );
    const { manager: tokens } = manager(tokenSet('at-1', 'rt-1', START + 600_000), endpoint);
    const client = createHttpClient({ baseUrl: server.url, auth: { type: 'oauth2', tokens }, retry: false });
    const result = await client.get('/a');
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.code).toBe('AUTH_ERROR');
    expect(result.error.message).toContain('re-consent');
    expect(server.requests).toHaveLength(1);
  });

  it('sends nothing when no token can be had, returning the token error', async () => {
    const server = await serve((_, res) => json(res, 200, {}));
    const tokens = createOAuth2TokenManager({
      tokenUrl: 'https://auth.example.test/oauth/token',
      clientId: 'client-1',
      connection: 'api:tenant-1',
      tokens: createMemoryOAuth2TokenStore(),
    });
    const client = createHttpClient({ baseUrl: server.url, auth: { type: 'oauth2', tokens } });
    const result = await client.get('/a');
    expect(!result.success && result.error.code).toBe('AUTH_ERROR');
    expect(!result.success && result.error.field).toBe('tokens');
    expect(server.requests).toHaveLength(0);
  });

  it('returns a 401 as it is for a token source that cannot refresh', async () => {
    const server = await serve((_, res) => json(res, 401, {}));
    const source = { getAccessToken: async () => ok(new Secret('static-token-1')) };
    const client = createHttpClient({ baseUrl: server.url, auth: { type: 'oauth2', tokens: source } });
    const result = await client.get('/a');
    expect(!result.success && result.error.code).toBe('AUTH_ERROR');
    expect(server.requests).toHaveLength(1);
  });

  it('types a token source that throws or answers garbage, naming auth.tokens', async () => {
    const server = await serve((_, res) => json(res, 200, {}));
    const throwing = {
      getAccessToken: async () => {
        throw new Error('secret-in-message-1');
      },
    };
    const garbage = { getAccessToken: async () => ok('') as never };
    const failing = {
      getAccessToken: async () => err(new IntegrationError('RATE_LIMIT', 'token endpoint busy')),
    };
    const expected = [
      [throwing, 'OPERATION_FAILED'],
      [garbage, 'CONFIG_ERROR'],
      [failing, 'RATE_LIMIT'],
    ] as const;
    for (const [tokens, code] of expected) {
      const client = createHttpClient({
        baseUrl: server.url,
        auth: { type: 'oauth2', tokens },
        retry: false,
      });
      const result = await client.get('/a');
      expect(!result.success && result.error.code).toBe(code);
      expect(JSON.stringify(!result.success && result.error)).not.toContain('secret-in-message-1');
    }
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a tokens option without getAccessToken with CONFIG_ERROR', () => {
    for (const tokens of [
      {},
      null,
      { getAccessToken: 'x' },
      { getAccessToken() {}, refreshAccessToken: 1 },
    ]) {
      let thrown: unknown;
      try {
        createHttpClient({ baseUrl: 'https://api.example.test', auth: { type: 'oauth2', tokens } as never });
      } catch (error) {
        thrown = error;
      }
      expect((thrown as IntegrationError).code).toBe('CONFIG_ERROR');
      expect((thrown as IntegrationError).issues?.map((issue) => issue.field)).toContain('auth.tokens');
    }
  });

  it('scrubs both tokens from errors, hooks and logs when the server echoes them', async () => {
    const server = await serve((request, res) =>
      json(res, 401, { message: `token ${request.headers.authorization} refused` }),
    );
    const { manager: tokens } = manager(tokenSet('at-echo-1', 'rt-1', START + 600_000));
    const logs: LogFields[] = [];
    const seen: unknown[] = [];
    const log = (_: string, fields?: LogFields) => logs.push(fields ?? {});
    const client = createHttpClient({
      baseUrl: server.url,
      auth: { type: 'oauth2', tokens },
      retry: false,
      logger: { debug: log, info: log, warn: log, error: log },
      hooks: { onError: (error) => seen.push(error) },
    });
    const result = await client.get('/a');
    const rendered = [
      JSON.stringify(result),
      !result.success ? inspect(result.error) + String(result.error.stack) : '',
      JSON.stringify(logs),
      JSON.stringify(seen),
    ].join('\n');
    expect(rendered).toContain('refused');
    expect(rendered).not.toContain('at-echo-1');
    expect(rendered).not.toContain('at-2');
  });
});
