// createExactTokenSource on its own, on a clock it is given: the refresh window shortened by refreshMarginMs, a
// refresh refused as too early handing out the stored token (on getAccessToken only), a dead grant asking for
// re-consent and other failures not, the token-call budget answering 429 with a retry-after in place of the
// endpoint, the lease named after the connection, and no secret in any error.
import { type AccessTokenSource, Secret } from '@patchbay/core';
import { createMemoryOAuth2TokenStore, type OAuth2RefreshLock } from '@patchbay/core/oauth';
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import { createExactTokenSource, EXACT_OAUTH, type ExactOAuthOptions } from './oauth.ts';

const TOKEN_URL = 'https://start.exactonline.nl/api/oauth2/token';
const SECRET = 'cl1ent-s3cret-never-shown-0123456789';
const REFRESH = 'refresh-t0ken-never-shown-0000';
const ACCESS = 'access-t0ken-never-shown-0000';
const T0 = Date.UTC(2026, 11, 7, 12);
const DAY_MS = 86_400_000;

type Answer = (form: URLSearchParams, call: number) => Response;

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

// Exact's answer to a good refresh: a new access token for 600 s and a new (rotated) refresh token.
const rotate: Answer = (_form, call) =>
  json({
    access_token: `access-${call}`,
    token_type: 'bearer',
    expires_in: '600',
    refresh_token: `refresh-${call}`,
  });

function setup(
  options: {
    expiresIn?: number;
    answer?: Answer;
    oauth?: Partial<ExactOAuthOptions>;
    lock?: OAuth2RefreshLock;
    stored?: boolean;
  } = {},
) {
  let at = T0;
  const clock = { now: () => at, advance: (ms: number) => (at += ms) };
  const forms: URLSearchParams[] = [];
  const answer = options.answer ?? rotate;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    expect(request.url).toBe(TOKEN_URL);
    const form = new URLSearchParams(await request.text());
    forms.push(form);
    return answer(form, forms.length);
  };
  const tokens = createMemoryOAuth2TokenStore(
    options.stored === false
      ? undefined
      : {
          accessToken: new Secret(ACCESS),
          tokenType: 'bearer',
          expiresAt: T0 + (options.expiresIn ?? 600_000),
          refreshToken: new Secret(REFRESH),
          scope: null,
          obtainedAt: T0 - 1_000,
        },
  );
  const source = createExactTokenSource({
    tokenUrl: TOKEN_URL,
    oauth: { clientId: 'app-1', clientSecret: SECRET, tokens, ...options.oauth },
    lock: options.lock ?? createMemoryStore().syncState,
    fetch,
    now: clock.now,
  });
  return { source, tokens, forms, clock };
}

const token = (result: { success: boolean; data?: Secret }) =>
  result.success ? result.data?.reveal() : undefined;
// The forced refresh a client runs after a 401 (optional on AccessTokenSource, always there on this one).
const refresh = (source: AccessTokenSource, rejected: string) => {
  if (!source.refreshAccessToken) throw new Error('refreshAccessToken missing');
  return source.refreshAccessToken({ rejected });
};
const errorOf = (result: { success: boolean; error?: unknown }) =>
  result.success ? undefined : (result.error as { code: string; message: string; retryAfterMs?: number });

describe('createExactTokenSource', () => {
  it("refreshes only once Exact's 30-second window is refreshMarginMs old (5 s by default)", async () => {
    const { source, tokens, forms, clock } = setup({ expiresIn: 60_000 });
    clock.advance(60_000 - 25_001);
    expect(token(await source.getAccessToken())).toBe(ACCESS);
    expect(forms).toHaveLength(0);
    clock.advance(1);
    expect(token(await source.getAccessToken())).toBe('access-1');
    expect(forms.map((form) => [form.get('grant_type'), form.get('refresh_token')])).toEqual([
      ['refresh_token', REFRESH],
    ]);
    expect(forms[0]?.get('client_id')).toBe('app-1');
    // The rotated set is the one stored, and its token is handed out until its own window opens.
    const stored = await tokens.read();
    expect(
      stored.success && [stored.data?.accessToken.reveal(), stored.data?.refreshToken?.reveal()],
    ).toEqual(['access-1', 'refresh-1']);
    clock.advance(500_000);
    expect(token(await source.getAccessToken())).toBe('access-1');
    expect(forms).toHaveLength(1);
  });

  it('moves the refresh by refreshMarginMs: 0 refreshes as the window opens, 20 000 at 10 s left', async () => {
    const none = setup({ expiresIn: 60_000, oauth: { refreshMarginMs: 0 } });
    none.clock.advance(60_000 - EXACT_OAUTH.refreshWindowMs - 1);
    expect(token(await none.source.getAccessToken())).toBe(ACCESS);
    none.clock.advance(1);
    expect(token(await none.source.getAccessToken())).toBe('access-1');
    const wide = setup({ expiresIn: 60_000, oauth: { refreshMarginMs: 20_000 } });
    wide.clock.advance(60_000 - 10_001);
    expect(token(await wide.source.getAccessToken())).toBe(ACCESS);
    wide.clock.advance(1);
    expect(token(await wide.source.getAccessToken())).toBe('access-1');
    // A margin that closes the window is a configuration error.
    expect(() => setup({ oauth: { refreshMarginMs: 30_001 } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
  });

  it("hands out the stored token when Exact answers 'access_token not expired', however the error is spelt", async () => {
    for (const body of [
      { error: 'access_denied', error_description: 'Rate limit exceeded: access_token not expired' },
      { error: 'access_denied', error_description: 'TooEarlyToRefreshTokens' },
    ]) {
      // Lapsed by the client's clock, so without the rule the call would fail.
      const { source, forms, clock } = setup({ expiresIn: 10_000, answer: () => json(body, 400) });
      clock.advance(11_000);
      expect(token(await source.getAccessToken())).toBe(ACCESS);
      expect(forms).toHaveLength(1);
    }
  });

  it('does not treat another refusal as too early, nor rescue a forced refresh', async () => {
    const denied = setup({
      expiresIn: 10_000,
      answer: () => json({ error: 'access_denied', error_description: 'User blocked' }, 400),
    });
    denied.clock.advance(11_000);
    const failed = errorOf(await denied.source.getAccessToken());
    expect(failed?.code).toBe('AUTH_ERROR');
    expect(failed?.message).not.toContain('re-consent');
    // refreshAccessToken follows a 401: the stored token was just refused, so "not expired" cannot vouch for it.
    const early = setup({
      expiresIn: 20_000,
      answer: () =>
        json(
          { error: 'access_denied', error_description: 'Rate limit exceeded: access_token not expired' },
          400,
        ),
    });
    const forced = await refresh(early.source, ACCESS);
    expect(forced.success).toBe(false);
    expect(errorOf(forced)?.message).not.toContain('re-consent');
    expect(early.forms).toHaveLength(1);
  });

  it('asks for re-consent on a dead grant, on either method, and not on other failures', async () => {
    const dead: Answer[] = [
      () => json({ error: 'invalid_grant', error_description: 'Refresh token expired' }, 400),
      () => json({ error: 'unauthorized_client', error_description: 'Old refresh token used.' }, 400),
    ];
    for (const answer of dead) {
      for (const method of ['get', 'refresh'] as const) {
        const { source, clock } = setup({ expiresIn: 10_000, answer });
        clock.advance(11_000);
        const result = method === 'get' ? await source.getAccessToken() : await refresh(source, ACCESS);
        const error = errorOf(result);
        expect(error?.code).toBe('AUTH_ERROR');
        expect(error?.message).toContain('Exact Online: the connection needs re-consent');
        expect(error?.message).toContain('/api/oauth2/auth');
      }
    }
    // No token set stored at all: the user has to authorize first.
    const empty = setup({ stored: false });
    expect(errorOf(await empty.source.getAccessToken())?.message).toContain('needs re-consent');
    expect(empty.forms).toHaveLength(0);
    // A server error, a bad client (the app's credentials, not the user's consent), an unreachable endpoint: no.
    const others: Answer[] = [
      () => json({ error: 'server_error' }, 500),
      () => json({ error: 'invalid_client', error_description: 'Bad client credentials' }, 401),
      () => {
        throw new TypeError('fetch failed');
      },
    ];
    for (const answer of others) {
      const { source, clock } = setup({ expiresIn: 10_000, answer });
      clock.advance(11_000);
      const result = await source.getAccessToken();
      expect(result.success).toBe(false);
      expect(errorOf(result)?.message).not.toContain('re-consent');
    }
  });

  it('answers 429 with a retry-after in place of the token endpoint once the day’s calls are spent', async () => {
    const { source, forms, clock } = setup({ expiresIn: 10_000, oauth: { maxTokenCallsPerDay: 2 } });
    const refreshAt = async () => {
      clock.advance(600_000 - 10_000);
      return source.getAccessToken();
    };
    clock.advance(1_000);
    expect(token(await source.getAccessToken())).toBe('access-1');
    expect(token(await refreshAt())).toBe('access-2');
    // The third is due 590 s later; the budget is spent: the current token is kept while it lasts…
    expect(token(await refreshAt())).toBe('access-2');
    expect(forms).toHaveLength(2);
    // …and once it has lapsed the wait is reported, counted from the first call of the day.
    clock.advance(20_000);
    const limited = errorOf(await source.getAccessToken());
    expect(limited?.code).toBe('RATE_LIMIT');
    expect(limited?.message).toContain('Exact Online allows 2 token calls a day');
    expect(limited?.message).toContain(new Date(T0 + 1_000 + DAY_MS).toISOString());
    const elapsed = clock.now() - (T0 + 1_000);
    expect(limited?.retryAfterMs).toBe(Math.ceil((DAY_MS - elapsed) / 1000) * 1000);
    expect(forms).toHaveLength(2);
    // A day after the first call, one call is free again.
    clock.advance(DAY_MS - elapsed);
    expect(token(await source.getAccessToken())).toBe('access-3');
    expect(forms).toHaveLength(3);
  });

  it('takes the lease named after the connection: exact-online:<clientId> unless it is given', async () => {
    const names: string[] = [];
    const store = createMemoryStore();
    const lock: OAuth2RefreshLock = {
      acquireLease: (name, lease) => {
        names.push(name);
        return store.syncState.acquireLease(name, lease);
      },
      releaseLease: (lease) => store.syncState.releaseLease(lease),
    };
    for (const oauth of [{}, { connection: 'exact-online:user-7' }]) {
      const { source, clock } = setup({ expiresIn: 10_000, lock, oauth });
      clock.advance(1_000);
      expect(token(await source.getAccessToken())).toBe('access-1');
    }
    expect(names).toEqual(['oauth2-refresh:exact-online:app-1', 'oauth2-refresh:exact-online:user-7']);
  });

  it('keeps the client secret and every token out of errors, even when the endpoint echoes them', async () => {
    const echo: Answer = (form) =>
      json(
        {
          error: 'invalid_grant',
          error_description: `refresh_token ${form.get('refresh_token')} for secret ${form.get('client_secret')} (access ${ACCESS})`,
        },
        400,
      );
    const { source, clock } = setup({
      expiresIn: 10_000,
      answer: echo,
      oauth: { clientSecret: new Secret(SECRET) },
    });
    clock.advance(11_000);
    const results = [await source.getAccessToken(), await refresh(source, ACCESS)];
    for (const result of results) {
      expect(result.success).toBe(false);
      if (result.success) continue;
      const texts = [result.error.message, JSON.stringify(result.error.toJSON()), String(result.error.stack)];
      for (const secret of [SECRET, REFRESH, ACCESS]) {
        expect(texts.filter((text) => text.includes(secret))).toEqual([]);
      }
    }
    let thrown: unknown;
    try {
      setup({ oauth: { tokens: {} as ExactOAuthOptions['tokens'] } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'CONFIG_ERROR', field: 'tokens' });
    expect(`${(thrown as Error).message} ${JSON.stringify(thrown)}`).not.toContain(SECRET);
    expect(() => setup({ lock: {} as OAuth2RefreshLock })).toThrow(
      expect.objectContaining({ field: 'lock' }),
    );
  });
});
