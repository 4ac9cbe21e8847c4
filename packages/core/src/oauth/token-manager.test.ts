import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { jsonResponse, scriptedFetch, tokenBody } from '../../test-support/token-fetch.ts';
import type { LogFields } from '../logging/logger.ts';
import { IntegrationError } from '../result/errors.ts';
import { err, ok } from '../result/result.ts';
import { Secret } from '../secrets/secret.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import { createManualClock } from '../testing/manual-clock.ts';
import { createOAuth2TokenManager, type OAuth2TokenManagerOptions } from './token-manager.ts';
import type { OAuth2TokenSet } from './token-set.ts';
import { createMemoryOAuth2TokenStore, type OAuth2TokenStore } from './token-store.ts';

const CLIENT_SECRET = 'cs-manager-5e7a9c1d';
const START = Date.UTC(2026, 0, 1);

const tokenSet = (
  access: string,
  refresh: string | null,
  expiresAt: number | null,
  obtainedAt = START,
): OAuth2TokenSet => ({
  accessToken: new Secret(access),
  tokenType: 'Bearer',
  expiresAt,
  refreshToken: refresh === null ? null : new Secret(refresh),
  scope: null,
  obtainedAt,
});

// A token endpoint that rotates: refresh token rt-n answers at-(n+1) / rt-(n+1); a reused one is invalid_grant.
function rotatingEndpoint(options: { lifetimeS?: number; delayMs?: number } = {}) {
  let generation = 1;
  const spent = new Set<string>();
  return scriptedFetch(async ({ form }) => {
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const presented = form.get('refresh_token') ?? '';
    if (spent.has(presented) || presented !== `rt-${generation}`) {
      return jsonResponse(400, { error: 'invalid_grant', error_description: 'Old refresh token used.' });
    }
    spent.add(presented);
    generation += 1;
    return jsonResponse(
      200,
      tokenBody(`at-${generation}`, {
        refresh_token: `rt-${generation}`,
        expires_in: options.lifetimeS ?? 600,
      }),
    );
  });
}

function setup(
  initial: OAuth2TokenSet | undefined,
  overrides: Partial<OAuth2TokenManagerOptions> = {},
  endpoint = rotatingEndpoint(),
) {
  const clock = createManualClock(START);
  const tokens = createMemoryOAuth2TokenStore(initial);
  const logs: { level: string; message: string; fields?: LogFields }[] = [];
  const logger = Object.fromEntries(
    (['debug', 'info', 'warn', 'error'] as const).map((level) => [
      level,
      (message: string, fields?: LogFields) => logs.push({ level, message, fields }),
    ]),
  ) as unknown as OAuth2TokenManagerOptions['logger'];
  const manager = createOAuth2TokenManager({
    tokenUrl: 'https://auth.example.test/oauth/token',
    clientId: 'client-1',
    clientSecret: CLIENT_SECRET,
    connection: 'erp:tenant-1',
    tokens,
    clock: clock.now,
    fetch: endpoint.fetch,
    logger,
    ...overrides,
  });
  return { manager, tokens, clock, endpoint, logs };
}

const revealed = async (promise: Promise<{ success: boolean; data?: Secret; error?: unknown }>) => {
  const result = await promise;
  if (!result.success) throw result.error;
  return result.data?.reveal();
};

const stored = async (tokens: OAuth2TokenStore) => {
  const result = await tokens.read();
  if (!result.success || result.data === null) throw new Error('no token set stored');
  return { access: result.data.accessToken.reveal(), refresh: result.data.refreshToken?.reveal() };
};

describe('createOAuth2TokenManager: getAccessToken', () => {
  it('hands out the stored token while it is fresh, reading the store once', async () => {
    const { manager, tokens, endpoint } = setup(tokenSet('at-1', 'rt-1', START + 600_000));
    let reads = 0;
    const read = tokens.read;
    tokens.read = () => {
      reads += 1;
      return read();
    };
    expect(await revealed(manager.getAccessToken())).toBe('at-1');
    expect(await revealed(manager.getAccessToken())).toBe('at-1');
    expect(reads).toBe(1);
    expect(endpoint.calls).toHaveLength(0);
  });

  it('refreshes within refreshSkewMs of expiry and stores the rotated set before handing it out', async () => {
    const { manager, tokens, clock, endpoint } = setup(tokenSet('at-1', 'rt-1', START + 600_000));
    clock.advance(600_000 - 60_000 - 1);
    expect(await revealed(manager.getAccessToken())).toBe('at-1');
    clock.advance(1);
    expect(await revealed(manager.getAccessToken())).toBe('at-2');
    expect(endpoint.calls).toHaveLength(1);
    expect(Object.fromEntries(endpoint.calls[0]?.form ?? [])).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-1',
      client_id: 'client-1',
      client_secret: CLIENT_SECRET,
    });
    expect(await stored(tokens)).toEqual({ access: 'at-2', refresh: 'rt-2' });
  });

  it('hands out nothing the store did not take: a failed write is an error, and the next call writes it first', async () => {
    const { manager, tokens, clock, endpoint } = setup(tokenSet('at-1', 'rt-1', START + 1_000));
    clock.advance(2_000);
    const write = tokens.write;
    let failures = 3;
    tokens.write = (set) =>
      failures-- > 0
        ? Promise.resolve(err(new IntegrationError('OPERATION_FAILED', 'database is locked')))
        : write(set);
    const first = await manager.getAccessToken();
    expect(first.success).toBe(false);
    expect(!first.success && first.error.field).toBe('tokens');
    expect(!first.success && first.error.message).toContain('could not be stored');
    expect((await stored(tokens)).refresh).toBe('rt-1');
    // The store works again: the kept set is written, not refreshed a second time (rt-1 is spent).
    expect(await revealed(manager.getAccessToken())).toBe('at-2');
    expect(endpoint.calls).toHaveLength(1);
    expect(await stored(tokens)).toEqual({ access: 'at-2', refresh: 'rt-2' });
  });

  it('shares one refresh among concurrent callers in the process', async () => {
    const { manager, clock, endpoint } = setup(
      tokenSet('at-1', 'rt-1', START + 1_000),
      {},
      rotatingEndpoint({ delayMs: 20 }),
    );
    clock.advance(5_000);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => revealed(manager.getAccessToken())));
    expect(new Set(tokens)).toEqual(new Set(['at-2']));
    expect(endpoint.calls).toHaveLength(1);
  });

  it('keeps the refresh token of a server that does not rotate it', async () => {
    const endpoint = scriptedFetch(() => jsonResponse(200, tokenBody('at-new', { expires_in: 1800 })));
    const { manager, tokens, clock } = setup(tokenSet('at-1', 'rt-1', START + 1_000), {}, endpoint);
    clock.advance(1_000);
    expect(await revealed(manager.getAccessToken())).toBe('at-new');
    expect(await stored(tokens)).toEqual({ access: 'at-new', refresh: 'rt-1' });
  });

  it('refreshes only inside minRefreshWindowMs for servers that refuse an early refresh', async () => {
    const { manager, clock, endpoint } = setup(tokenSet('at-1', 'rt-1', START + 600_000), {
      refreshSkewMs: 60_000,
      minRefreshWindowMs: 30_000,
    });
    clock.advance(600_000 - 45_000);
    expect(await revealed(manager.getAccessToken())).toBe('at-1');
    expect(endpoint.calls).toHaveLength(0);
    clock.advance(20_000);
    expect(await revealed(manager.getAccessToken())).toBe('at-2');
    expect(endpoint.calls).toHaveLength(1);
  });

  it('keeps using a still-valid token when a proactive refresh is refused, without asking again at once', async () => {
    const endpoint = scriptedFetch(() =>
      jsonResponse(
        400,
        { error: 'access_denied', error_description: 'Rate limit exceeded: access_token not expired' },
        { Reason: 'TooEarlyToRefreshTokens' },
      ),
    );
    const { manager, clock, logs } = setup(tokenSet('at-1', 'rt-1', START + 600_000), {}, endpoint);
    clock.advance(600_000 - 50_000);
    expect(await revealed(manager.getAccessToken())).toBe('at-1');
    expect(await revealed(manager.getAccessToken())).toBe('at-1');
    expect(endpoint.calls).toHaveLength(1);
    expect(logs.some((line) => line.level === 'warn' && line.fields?.code === 'AUTH_ERROR')).toBe(true);
    clock.advance(5_000);
    await manager.getAccessToken();
    expect(endpoint.calls).toHaveLength(2);
  });

  it('answers a dead refresh token with AUTH_ERROR saying re-consent is needed, and never sends it again', async () => {
    const endpoint = scriptedFetch(() =>
      jsonResponse(400, { error: 'invalid_grant', error_description: 'Old refresh token used.' }),
    );
    const { manager, tokens, clock } = setup(tokenSet('at-1', 'rt-1', START + 1_000), {}, endpoint);
    clock.advance(1_000);
    const first = await manager.getAccessToken();
    expect(first.success).toBe(false);
    if (first.success) return;
    expect(first.error.code).toBe('AUTH_ERROR');
    expect(first.error.retryable).toBe(false);
    expect(first.error.message).toContain('re-consent');
    expect(first.error.message).toContain('erp:tenant-1');
    clock.advance(3_600_000);
    const again = await manager.getAccessToken();
    expect(!again.success && again.error.code).toBe('AUTH_ERROR');
    expect(endpoint.calls).toHaveLength(1);
    // A new consent stores a new set: it is used at once.
    await tokens.write(tokenSet('at-fresh', 'rt-fresh', START + 3_600_000 + 600_000));
    expect(await revealed(manager.getAccessToken())).toBe('at-fresh');
  });

  it('never resends a refresh token the server answered unauthorized_client for (a reuse, as some servers say it)', async () => {
    const endpoint = scriptedFetch(() =>
      jsonResponse(401, { error: 'unauthorized_client', error_description: 'Old refresh token used.' }),
    );
    const { manager, clock } = setup(tokenSet('at-1', 'rt-1', START + 1_000), {}, endpoint);
    clock.advance(1_000);
    const first = await manager.getAccessToken();
    expect(!first.success && first.error.code).toBe('AUTH_ERROR');
    expect(!first.success && first.error.message).toContain('Old refresh token used.');
    clock.advance(60_000);
    await manager.getAccessToken();
    expect(endpoint.calls).toHaveLength(1);
  });

  it('answers AUTH_ERROR when nothing is stored, or the token lapsed and there is no refresh token', async () => {
    const empty = setup(undefined);
    const none = await empty.manager.getAccessToken();
    expect(!none.success && none.error.code).toBe('AUTH_ERROR');
    expect(!none.success && none.error.field).toBe('tokens');

    const noRefresh = setup(tokenSet('at-1', null, START + 1_000));
    expect(await revealed(noRefresh.manager.getAccessToken())).toBe('at-1');
    noRefresh.clock.advance(1_000);
    const lapsed = await noRefresh.manager.getAccessToken();
    expect(!lapsed.success && lapsed.error.code).toBe('AUTH_ERROR');
    expect(!lapsed.success && lapsed.error.message).toContain('re-consent');
    expect(noRefresh.endpoint.calls).toHaveLength(0);
  });

  it('never refreshes a token without an expiry unless asked to', async () => {
    const { manager, clock, endpoint } = setup(tokenSet('at-1', 'rt-1', null));
    clock.advance(365 * 86_400_000);
    expect(await revealed(manager.getAccessToken())).toBe('at-1');
    expect(endpoint.calls).toHaveLength(0);
  });

  it('returns the store failure as it is, and a store that throws as OPERATION_FAILED', async () => {
    const { manager, tokens } = setup(tokenSet('at-1', 'rt-1', START + 1_000));
    tokens.read = async () => err(new IntegrationError('NETWORK_ERROR', 'database unreachable'));
    expect(await manager.getAccessToken()).toMatchObject({
      success: false,
      error: { code: 'NETWORK_ERROR' },
    });
    tokens.read = () => {
      throw new Error('boom');
    };
    expect(await manager.getAccessToken()).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED' },
    });
    tokens.read = async () => ok({ accessToken: 'plain text' } as never);
    expect(await manager.getAccessToken()).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED', field: 'tokens' },
    });
  });

  it('answers CONFIG_ERROR for a clock that stops telling the time, never a rejection', async () => {
    let now: number = START;
    const { manager } = setup(tokenSet('at-1', 'rt-1', START + 600_000), { clock: () => now });
    now = Number.NaN;
    expect(await manager.getAccessToken()).toMatchObject({
      success: false,
      error: { code: 'CONFIG_ERROR', field: 'clock' },
    });
  });
});

describe('createOAuth2TokenManager: refreshAccessToken', () => {
  it('refreshes a token the server refused, even when it looks fresh', async () => {
    const { manager, endpoint } = setup(tokenSet('at-1', 'rt-1', START + 600_000));
    expect(await revealed(manager.refreshAccessToken({ rejected: 'at-1' }))).toBe('at-2');
    expect(endpoint.calls).toHaveLength(1);
    expect(await revealed(manager.refreshAccessToken())).toBe('at-3');
  });

  it('does not refresh when the refused token was already replaced (by another caller or process)', async () => {
    const { manager, endpoint } = setup(tokenSet('at-1', 'rt-1', START + 600_000));
    expect(await revealed(manager.refreshAccessToken({ rejected: new Secret('at-0') }))).toBe('at-1');
    const [a, b] = await Promise.all([
      revealed(manager.refreshAccessToken({ rejected: 'at-1' })),
      revealed(manager.refreshAccessToken({ rejected: 'at-1' })),
    ]);
    expect([a, b]).toEqual(['at-2', 'at-2']);
    expect(endpoint.calls).toHaveLength(1);
  });

  it('answers AUTH_ERROR when the server allows no refresh yet', async () => {
    const { manager, endpoint } = setup(tokenSet('at-1', 'rt-1', START + 600_000), {
      minRefreshWindowMs: 30_000,
    });
    const result = await manager.refreshAccessToken({ rejected: 'at-1' });
    expect(!result.success && result.error.code).toBe('AUTH_ERROR');
    expect(!result.success && result.error.message).toContain('allows no refresh');
    expect(endpoint.calls).toHaveLength(0);
  });

  it('answers VALIDATION_ERROR for a rejected token of the wrong kind', async () => {
    const { manager } = setup(tokenSet('at-1', 'rt-1', START + 600_000));
    for (const options of [{ rejected: 42 }, { rejected: '' }, null]) {
      const result = await manager.refreshAccessToken(options as never);
      expect(!result.success && result.error.field).toBe('options.rejected');
    }
  });
});

describe('createOAuth2TokenManager: across processes (a shared store and lock)', () => {
  it('refreshes once for two managers sharing a store and a lock, the second re-reading under the lease', async () => {
    const clock = createManualClock(START);
    const tokens = createMemoryOAuth2TokenStore(tokenSet('at-1', 'rt-1', START + 1_000));
    const store = createMemoryStore({ now: clock.now });
    const endpoint = rotatingEndpoint({ delayMs: 30 });
    const make = () =>
      createOAuth2TokenManager({
        tokenUrl: 'https://auth.example.test/oauth/token',
        clientId: 'client-1',
        clientSecret: CLIENT_SECRET,
        connection: 'erp:tenant-1',
        tokens,
        lock: store.syncState,
        clock: clock.now,
        fetch: endpoint.fetch,
        pollIntervalMs: 5,
      });
    const managers = [make(), make(), make()];
    clock.advance(2_000);
    const results = await Promise.all(managers.map((manager) => revealed(manager.getAccessToken())));
    expect(results).toEqual(['at-2', 'at-2', 'at-2']);
    expect(endpoint.calls).toHaveLength(1);
    // The lease was released.
    const lease = await store.syncState.acquireLease('oauth2-refresh:erp:tenant-1', {
      owner: 'x',
      ttlMs: 1_000,
    });
    expect(lease.success && lease.data !== null).toBe(true);
  });

  it('waits while another process holds the lease and takes the token it stored', async () => {
    const lock = createMemoryStore().syncState;
    const { manager, tokens, clock, endpoint, logs } = setup(tokenSet('at-1', 'rt-1', START + 1_000), {
      lock,
      pollIntervalMs: 5,
    });
    const other = await lock.acquireLease('oauth2-refresh:erp:tenant-1', {
      owner: 'other-process',
      ttlMs: 60_000,
    });
    expect(other.success && other.data !== null).toBe(true);
    clock.advance(2_000);
    const pending = manager.getAccessToken();
    await new Promise((resolve) => setTimeout(resolve, 30));
    // The other process stores what it refreshed (and would release the lease after).
    await tokens.write(tokenSet('at-9', 'rt-9', START + 600_000));
    expect(await revealed(pending)).toBe('at-9');
    expect(endpoint.calls).toHaveLength(0);
    expect(logs.some((line) => line.message.includes('waiting'))).toBe(true);
  });

  it('gives up with a retryable TIMEOUT when the lease holder stores nothing within waitTimeoutMs', async () => {
    const lock = createMemoryStore().syncState;
    const { manager, clock } = setup(tokenSet('at-1', 'rt-1', START + 1_000), {
      lock,
      pollIntervalMs: 5,
      waitTimeoutMs: 40,
    });
    await lock.acquireLease('oauth2-refresh:erp:tenant-1', { owner: 'stuck-process', ttlMs: 60_000 });
    clock.advance(2_000);
    const result = await manager.getAccessToken();
    expect(!result.success && result.error.code).toBe('TIMEOUT');
    expect(!result.success && result.error.retryable).toBe(true);
  });

  it('returns a lock failure as an error', async () => {
    const lock = {
      acquireLease: async () => err(new IntegrationError('SERVER_ERROR', 'database down')),
      releaseLease: async () => ok(undefined),
    };
    const { manager, clock } = setup(tokenSet('at-1', 'rt-1', START + 1_000), { lock });
    clock.advance(2_000);
    expect(await manager.getAccessToken()).toMatchObject({ success: false, error: { code: 'SERVER_ERROR' } });
  });
});

describe('createOAuth2TokenManager: secrets', () => {
  it('never puts a token or the client secret in an error or a log line', async () => {
    const endpoint = scriptedFetch(({ form }) =>
      jsonResponse(400, {
        error: 'invalid_grant',
        error_description: `refresh token ${form.get('refresh_token')} for client secret ${form.get('client_secret')} is spent`,
      }),
    );
    const { manager, clock, logs } = setup(
      tokenSet('at-secret-1', 'rt-secret-1', START + 1_000),
      {},
      endpoint,
    );
    clock.advance(5_000);
    const result = await manager.getAccessToken();
    const forced = await manager.refreshAccessToken({ rejected: 'at-secret-1' });
    const rendered = [result, forced]
      .flatMap((r) => (r.success ? [] : [JSON.stringify(r.error), inspect(r.error), String(r.error.stack)]))
      .concat(JSON.stringify(logs), inspect(manager))
      .join('\n');
    expect(rendered).toContain('invalid_grant');
    for (const secret of ['at-secret-1', 'rt-secret-1', CLIENT_SECRET])
      expect(rendered).not.toContain(secret);
  });
});

describe('createOAuth2TokenManager: options', () => {
  const valid = (): OAuth2TokenManagerOptions => ({
    tokenUrl: 'https://auth.example.test/oauth/token',
    clientId: 'client-1',
    clientSecret: CLIENT_SECRET,
    connection: 'erp:tenant-1',
    tokens: createMemoryOAuth2TokenStore(),
  });

  it.each([
    ['tokenUrl', { tokenUrl: 'nope' }],
    ['clientId', { clientId: '' }],
    ['connection', { connection: '' }],
    ['tokens', { tokens: {} }],
    ['lock', { lock: { acquireLease() {} } }],
    ['refreshSkewMs', { refreshSkewMs: -1 }],
    ['minRefreshWindowMs', { minRefreshWindowMs: Number.NaN }],
    ['leaseTtlMs', { leaseTtlMs: 5_000, timeoutMs: 10_000 }],
    ['clientAuth', { clientAuth: 'header' }],
    ['(root)', { tokenEndpoint: 'x' }],
  ])('throws CONFIG_ERROR naming %s, never the secret', (field, overrides) => {
    let thrown: unknown;
    try {
      createOAuth2TokenManager({ ...valid(), ...overrides } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect((thrown as IntegrationError).code).toBe('CONFIG_ERROR');
    expect((thrown as IntegrationError).issues?.map((issue) => issue.field)).toContain(field);
    expect(JSON.stringify(thrown)).not.toContain(CLIENT_SECRET);
  });

  it('throws only CONFIG_ERROR for options that are not an object', () => {
    for (const options of [
      null,
      42,
      'x',
      new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error('trap');
          },
        },
      ),
    ]) {
      expect(() => createOAuth2TokenManager(options as never)).toThrow(IntegrationError);
    }
  });
});
