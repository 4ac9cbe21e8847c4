// Exact's OAuth2 rules through the client: refresh only in the last 30 s, the rotated set stored before use, one
// refresh across "processes" (two clients sharing the token store and the store's lock), a dead refresh token as
// AUTH_ERROR asking for re-consent, and the token endpoint's daily calls.
import { createMemoryOAuth2TokenStore, type OAuth2TokenStore } from '@patchbay/core/oauth';
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import { createFakeExact, json, tokenSet } from '../test-support/fake-exact.ts';
import { createExactClient, type ExactClientOptions } from './client.ts';

const SECRET = 'cl1ent-s3cret-never-shown-0123456789';

function setup(expiresInMs: number, options: Partial<ExactClientOptions> = {}, refresh = 'refresh-0') {
  const fake = createFakeExact({ accessToken: 'access-0', refreshToken: 'refresh-0' });
  const tokens = createMemoryOAuth2TokenStore(tokenSet('access-0', refresh, Date.now() + expiresInMs));
  const store = createMemoryStore();
  const client = createExactClient({
    oauth: { clientId: 'app-1', clientSecret: SECRET, tokens },
    store,
    division: 1,
    fetch: fake.fetch,
    rateLimit: false,
    retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 1 },
    ...options,
  });
  return { fake, tokens, store, client };
}

async function first(client: ReturnType<typeof createExactClient>) {
  for await (const page of client.accounts.list({ top: 1 })) return page;
  throw new Error('no page');
}

const stored = async (tokens: OAuth2TokenStore) => {
  const read = await tokens.read();
  if (!read.success || read.data === null) throw new Error('nothing stored');
  return { access: read.data.accessToken.reveal(), refresh: read.data.refreshToken?.reveal() };
};

describe('OAuth2 with Exact Online rules', () => {
  it('does not refresh a token outside its last 30 seconds', async () => {
    const { fake, client } = setup(60_000);
    expect((await first(client)).success).toBe(true);
    expect(fake.tokenCalls).toEqual([]);
    expect(fake.apiRequests()[0]?.authorization).toBe('Bearer access-0');
  });

  it('judges the refresh window on the clock option, not Date.now', async () => {
    // By Date.now the token has 60 s left; by the given clock, 20 s: inside the window, so it is refreshed.
    const later = setup(60_000, { clock: () => Date.now() + 40_000 });
    expect((await first(later.client)).success).toBe(true);
    expect(later.fake.tokenCalls).toEqual(['refresh_token']);
    // By Date.now 20 s left; by the given clock, 60 s: not refreshed.
    const earlier = setup(20_000, { clock: () => Date.now() - 40_000 });
    expect((await first(earlier.client)).success).toBe(true);
    expect(earlier.fake.tokenCalls).toEqual([]);
    expect(() => setup(60_000, { clock: 5 as unknown as () => number })).toThrow(/clock: must be a function/);
  });

  it('refreshes in the last 30 seconds, storing the rotated set before using it', async () => {
    const { fake, tokens } = setup(20_000);
    const writes: string[] = [];
    const watched: OAuth2TokenStore = {
      read: () => tokens.read(),
      write: async (set) => {
        writes.push(`${set.refreshToken?.reveal()} before ${fake.apiRequests().length} API calls`);
        return tokens.write(set);
      },
    };
    const client2 = createExactClient({
      oauth: { clientId: 'app-1', clientSecret: SECRET, tokens: watched },
      store: createMemoryStore(),
      division: 1,
      fetch: fake.fetch,
      rateLimit: false,
    });
    expect((await first(client2)).success).toBe(true);
    expect(fake.tokenCalls).toEqual(['refresh_token']);
    expect(writes).toEqual(['refresh-1 before 0 API calls']);
    expect(fake.apiRequests()[0]?.authorization).toBe('Bearer access-1');
    expect(await stored(tokens)).toEqual({ access: 'access-1', refresh: 'refresh-1' });
    const form = new URLSearchParams(fake.requests[0]?.body);
    expect(form.get('client_id')).toBe('app-1');
    expect(fake.requests[0]?.url.href).toBe('https://start.exactonline.nl/api/oauth2/token');
  });

  it('refreshes once for two processes sharing the token store and the lock', async () => {
    const fake = createFakeExact({ accessToken: 'access-0', refreshToken: 'refresh-0' });
    const tokens = createMemoryOAuth2TokenStore(tokenSet('access-0', 'refresh-0', Date.now() + 10_000));
    const store = createMemoryStore();
    const make = () =>
      createExactClient({
        oauth: { clientId: 'app-1', clientSecret: SECRET, tokens, connection: 'exact-online:user-7' },
        store,
        division: 1,
        fetch: fake.fetch,
        rateLimit: false,
      });
    const [a, b] = [make(), make()];
    const pages = await Promise.all([first(a), first(b), first(a), first(b)]);
    expect(pages.every((page) => page.success)).toBe(true);
    expect(fake.tokenCalls).toEqual(['refresh_token']);
    expect(await stored(tokens)).toEqual({ access: 'access-1', refresh: 'refresh-1' });
  });

  it('answers AUTH_ERROR asking for re-consent when the refresh token is dead, quoting no secret', async () => {
    const { fake, client } = setup(-1_000, {}, 'refresh-stale');
    const page = await first(client);
    expect(page.success).toBe(false);
    if (!page.success) {
      expect(page.error.code).toBe('AUTH_ERROR');
      expect(page.error.retryable).toBe(false);
      expect(page.error.message).toContain('Exact Online: the connection needs re-consent');
      const texts = [page.error.message, JSON.stringify(page.error.toJSON()), String(page.error.stack)];
      for (const secret of [SECRET, 'refresh-stale', 'access-0']) {
        expect(texts.some((text) => text.includes(secret))).toBe(false);
      }
    }
    // The dead refresh token is not sent again.
    await first(client);
    expect(fake.tokenCalls).toEqual(['refresh_token']);
  });

  it('keeps the current token when Exact refuses a refresh as too early, asking no re-consent', async () => {
    const { fake, client } = setup(20_000);
    fake.script('/api/oauth2/token', () =>
      json(
        { error: 'access_denied', error_description: 'Rate limit exceeded: access_token not expired' },
        400,
        {
          Reason: 'TooEarlyToRefreshTokens',
        },
      ),
    );
    expect((await first(client)).success).toBe(true);
    expect(fake.apiRequests()[0]?.authorization).toBe('Bearer access-0');
    // Lapsed by the client's estimate (which runs ahead of Exact's by the token call's time): Exact's "not expired"
    // says the stored token is still good, so it is used, with no re-consent asked.
    const expired = setup(-1_000);
    expired.fake.script('/api/oauth2/token', () =>
      json(
        { error: 'access_denied', error_description: 'Rate limit exceeded: access_token not expired' },
        400,
        {
          Reason: 'TooEarlyToRefreshTokens',
        },
      ),
    );
    const page = await first(expired.client);
    expect(page.success).toBe(true);
    expect(expired.fake.apiRequests()[0]?.authorization).toBe('Bearer access-0');
  });

  it('keeps to the token calls allowed a day', async () => {
    const fake = createFakeExact({ accessToken: 'access-0', refreshToken: 'refresh-0' });
    const tokens = createMemoryOAuth2TokenStore(tokenSet('access-0', 'refresh-0', Date.now() + 20_000));
    const client = createExactClient({
      oauth: { clientId: 'app-1', clientSecret: SECRET, tokens, maxTokenCallsPerDay: 1 },
      store: createMemoryStore(),
      division: 1,
      fetch: fake.fetch,
      rateLimit: false,
    });
    expect((await first(client)).success).toBe(true);
    // The new token is about to lapse too: a second refresh is due, but the day's one call is spent.
    await tokens.write(tokenSet(fake.accessToken, fake.refreshToken, Date.now() + 20_000));
    expect((await first(client)).success).toBe(true);
    expect(fake.tokenCalls).toEqual(['refresh_token']);
    expect(fake.apiRequests().at(-1)?.authorization).toBe('Bearer access-1');
  });
});

describe('OAuth options', () => {
  const tokens = createMemoryOAuth2TokenStore();
  const base = { oauth: { clientId: 'app-1', clientSecret: SECRET, tokens }, store: createMemoryStore() };
  const configError = (options: unknown, field: string) => {
    try {
      createExactClient(options as ExactClientOptions);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFIG_ERROR', field });
      const text = `${(error as Error).message} ${JSON.stringify(error)}`;
      expect(text).not.toContain(SECRET);
    }
  };

  it('names the bad field, never a secret', () => {
    configError({ oauth: base.oauth }, 'store');
    configError({ ...base, store: {} }, 'store');
    configError({ ...base, oauth: { ...base.oauth, clientId: `${SECRET} x` } }, 'oauth.clientId');
    configError({ ...base, oauth: { ...base.oauth, clientSecret: '' } }, 'oauth.clientSecret');
    configError({ ...base, oauth: { ...base.oauth, tokens: {} } }, 'oauth.tokens');
    configError({ ...base, oauth: { ...base.oauth, maxTokenCallsPerDay: 0 } }, 'oauth.maxTokenCallsPerDay');
    configError({ ...base, oauth: { ...base.oauth, refreshMarginMs: -1 } }, 'oauth.refreshMarginMs');
    configError({ ...base, oauth: { ...base.oauth, refreshMarginMs: 30_000 } }, 'oauth.refreshMarginMs');
    configError({ ...base, oauth: 'token' }, 'oauth');
    configError({ ...base, region: 'uk' }, 'region');
    configError({ ...base, baseUrl: `https://x.test?secret=${SECRET}` }, 'baseUrl');
    configError({ ...base, division: 0 }, 'division');
    configError({ ...base, rateLimit: { perMinute: 0 } }, 'rateLimit.perMinute');
    configError({ ...base, errorBudget: { maxErrorsPerHour: 11 } }, 'errorBudget');
    configError({ ...base, errorBudget: { store: {} as never } }, 'errorBudget');
    configError({ ...base, errorBudget: { keyPrefix: '' } }, 'errorBudget');
  });

  it('builds for every region, with its token endpoint', async () => {
    for (const region of ['nl', 'be', 'de', 'co.uk', 'com', 'fr', 'es'] as const) {
      expect(createExactClient({ ...base, region }).baseUrl).toBe(`https://start.exactonline.${region}`);
    }
  });
});
