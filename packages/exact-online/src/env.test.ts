import { createConfigStore, Secret } from '@patchbay/core';
import { serializeOAuth2TokenSet } from '@patchbay/core/oauth';
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import { BASE, createFakeExact, tokenSet } from '../test-support/fake-exact.ts';
import { createExactClientFromEnv, resolveExactConfig } from './env.ts';

const SECRET_KEY = 'k'.repeat(48);

async function setup(expiresInMs: number) {
  const store = createMemoryStore();
  const configs = createConfigStore({ rows: store.configs, secretKey: SECRET_KEY });
  const saved = await configs.createConfig(
    'exact-online',
    {
      baseUrl: BASE,
      settings: { division: 42 },
      secrets: {
        clientSecret: new Secret('app-s3cret-xyz'),
        oauth2: new Secret(
          serializeOAuth2TokenSet(tokenSet('access-0', 'refresh-0', Date.now() + expiresInMs)),
        ),
      },
    },
    null,
  );
  if (!saved.success) throw saved.error;
  return { store, configs };
}

describe('createExactClientFromEnv', () => {
  it('builds a client from the row and the variables, refreshing into the row', async () => {
    const { store, configs } = await setup(10_000);
    const fake = createFakeExact({ accessToken: 'access-0', refreshToken: 'refresh-0' });
    const built = await createExactClientFromEnv({
      env: { EXACT_ONLINE_CLIENT_ID: 'app-1' },
      configs,
      store,
      fetch: fake.fetch,
      rateLimit: false,
    });
    expect(built.success || built.error).toBe(true);
    if (!built.success) return;
    expect(await built.data.division()).toEqual({ success: true, data: 42 });
    for await (const page of built.data.accounts.list({ top: 1 })) expect(page.success).toBe(true);
    expect(fake.tokenCalls).toEqual(['refresh_token']);
    expect(fake.apiRequests()[0]?.url.pathname).toBe('/api/v1/42/crm/Accounts');
    const row = await configs.getConfig('exact-online');
    const set = row.success ? row.data?.secrets.oauth2?.reveal() : undefined;
    expect(set).toContain('refresh-1');
    const resolved = await resolveExactConfig({ env: { EXACT_ONLINE_CLIENT_ID: 'app-1' }, store: configs });
    expect(resolved.success && resolved.data.config.settings).toEqual({ division: 42 });
  });

  it('names what is missing, never a value', async () => {
    const { store, configs } = await setup(300_000);
    const noId = await createExactClientFromEnv({ env: {}, configs, store });
    expect(noId.success || noId.error).toMatchObject({ code: 'CONFIG_ERROR' });
    expect(noId.success || noId.error.message).toContain('EXACT_ONLINE_CLIENT_ID');
    expect(JSON.stringify(noId.success || noId.error.toJSON())).not.toContain('app-s3cret-xyz');
    const noConfigs = await createExactClientFromEnv({ env: { EXACT_ONLINE_CLIENT_ID: 'a' } } as never);
    expect(noConfigs.success || noConfigs.error).toMatchObject({ code: 'CONFIG_ERROR', field: 'configs' });
    const noStore = await createExactClientFromEnv({
      env: { EXACT_ONLINE_CLIENT_ID: 'a' },
      configs,
    } as never);
    expect(noStore.success || noStore.error).toMatchObject({ code: 'CONFIG_ERROR', field: 'store' });
    for (const hostile of [null, 1, 'x']) {
      const result = await createExactClientFromEnv(hostile as never);
      expect(result.success || result.error.code).toBe('CONFIG_ERROR');
    }
  });
});
