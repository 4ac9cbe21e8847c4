import { describe, expect, it } from 'vitest';
import { createConfigStore } from '../config/config-store.ts';
import { IntegrationError } from '../result/errors.ts';
import { Secret } from '../secrets/secret.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import { createConfigOAuth2TokenStore } from './config-token-store.ts';
import type { OAuth2TokenSet } from './token-set.ts';

const KEY = 'config-token-store-test-key-0123456789';
const set = (access: string): OAuth2TokenSet => ({
  accessToken: new Secret(access),
  tokenType: 'Bearer',
  expiresAt: Date.UTC(2026, 0, 1, 1),
  refreshToken: new Secret(`refresh-${access}`),
  scope: 'read',
  obtainedAt: Date.UTC(2026, 0, 1),
});

function setup(secretKey = KEY) {
  const store = createMemoryStore();
  const configs = createConfigStore({ rows: store.configs, secretKey });
  return { store, configs, tokens: createConfigOAuth2TokenStore({ configs, integration: 'erp-tenant-1' }) };
}

describe('createConfigOAuth2TokenStore', () => {
  it('answers null without a row, and creates the row on the first write', async () => {
    const { tokens, configs } = setup();
    expect(await tokens.read()).toEqual({ success: true, data: null });
    expect(await tokens.write(set('access-token-1'))).toEqual({ success: true, data: undefined });
    const read = await tokens.read();
    expect(read.success && read.data?.accessToken.reveal()).toBe('access-token-1');
    expect(read.success && read.data?.refreshToken?.reveal()).toBe('refresh-access-token-1');
    expect((await configs.exists('erp-tenant-1')).success).toBe(true);
  });

  it('keeps the set as one encrypted secret, merged beside the other credentials of the row', async () => {
    const { tokens, configs, store } = setup();
    await configs.createConfig('erp-tenant-1', {
      secrets: { clientSecret: 'client-secret-value' },
      settings: { division: 7 },
    });
    await tokens.write(set('access-token-1'));
    await tokens.write(set('access-token-2'));
    const row = await store.configs.get('erp-tenant-1');
    if (!row.success || !row.data) throw new Error('row expected');
    expect(Object.keys(row.data.secrets).sort()).toEqual(['clientSecret', 'oauth2']);
    expect(row.data.secrets.oauth2?.startsWith('v1.')).toBe(true);
    expect(JSON.stringify(row.data)).not.toContain('access-token');
    expect(row.data.settings).toEqual({ division: 7 });
    const config = await configs.getConfig('erp-tenant-1');
    expect(config.success && config.data?.secrets.clientSecret?.reveal()).toBe('client-secret-value');
    const read = await tokens.read();
    expect(read.success && read.data?.accessToken.reveal()).toBe('access-token-2');
  });

  it('answers null for a row without the secret, and uses another secret name when told', async () => {
    const { configs } = setup();
    await configs.createConfig('erp-tenant-1', { secrets: { apiKey: 'k-123456' } });
    const tokens = createConfigOAuth2TokenStore({
      configs,
      integration: 'erp-tenant-1',
      secretName: 'erpTokens',
    });
    expect(await tokens.read()).toEqual({ success: true, data: null });
    await tokens.write(set('access-token-3'));
    const config = await configs.getConfig('erp-tenant-1');
    expect(config.success && Object.keys(config.data?.secrets ?? {}).sort()).toEqual(['apiKey', 'erpTokens']);
  });

  it('returns the configuration errors: a wrong key is CONFIG_ERROR, never a token in the message', async () => {
    const { store, tokens } = setup();
    await tokens.write(set('access-token-4'));
    const other = createConfigOAuth2TokenStore({
      configs: createConfigStore({ rows: store.configs, secretKey: 'another-key-of-enough-length' }),
      integration: 'erp-tenant-1',
    });
    const read = await other.read();
    expect(!read.success && read.error.code).toBe('CONFIG_ERROR');
    expect(JSON.stringify(read)).not.toContain('access-token-4');
  });

  it('refuses what is not a token set with VALIDATION_ERROR and writes nothing', async () => {
    const { tokens } = setup();
    const written = await tokens.write({ accessToken: 'plain' } as never);
    expect(!written.success && written.error.field).toBe('set');
    expect(await tokens.read()).toEqual({ success: true, data: null });
  });

  it('answers a configuration store that throws as OPERATION_FAILED', async () => {
    const broken = {
      getConfig: () => {
        throw new Error('boom');
      },
      createConfig: () => {
        throw new Error('boom');
      },
      updateConfig: () => {
        throw new Error('boom');
      },
    };
    const tokens = createConfigOAuth2TokenStore({ configs: broken as never, integration: 'x' });
    expect(await tokens.read()).toMatchObject({ success: false, error: { code: 'OPERATION_FAILED' } });
    expect(await tokens.write(set('a-1'))).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED' },
    });
  });

  it.each([
    ['configs', { configs: {} }],
    ['integration', { integration: '' }],
    ['secretName', { secretName: '1bad' }],
    ['userId', { userId: 5 }],
  ])('throws CONFIG_ERROR naming %s', (field, overrides) => {
    const { configs } = setup();
    let thrown: unknown;
    try {
      createConfigOAuth2TokenStore({ configs, integration: 'x', ...overrides } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect((thrown as IntegrationError).issues?.map((issue) => issue.field)).toContain(field);
  });
});
