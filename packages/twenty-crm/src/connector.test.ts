import { createConfigStore, resolveConnectorConfig, Secret } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../test-support/fixtures.ts';
import { twentyConnector } from './connector.ts';

const twenty = useEmulator();

const configFor = (baseUrl: string | undefined, apiKey: string | undefined) => ({
  integration: 'twenty-crm',
  ...(baseUrl !== undefined && { baseUrl }),
  credentials: apiKey === undefined ? {} : { apiKey: new Secret(apiKey) },
  enabled: true,
  syncMode: 'direct_crm' as const,
  settings: {},
});

describe('twentyConnector', () => {
  it("declares seed 001's variables, an API key required once enabled, and Twenty's three modes", () => {
    expect(twentyConnector).toMatchObject({
      id: 'twenty-crm',
      envPrefix: 'TWENTY_CRM',
      baseUrl: { required: true },
      credentials: { apiKey: { secret: true, required: true, env: 'API_KEY' } },
      modes: ['disabled', 'platform', 'direct_crm'],
      defaultMode: 'disabled',
      env: {
        baseUrl: 'TWENTY_CRM_BASE_URL',
        enabled: 'TWENTY_CRM_ENABLED',
        syncMode: 'TWENTY_CRM_SYNC_MODE',
        credentials: { apiKey: 'TWENTY_CRM_API_KEY' },
      },
    });
  });

  it('resolves a saved configuration, and refuses a mode Twenty does not have', async () => {
    const configs = createConfigStore({
      rows: createMemoryStore().configs,
      secretKey: 'twenty-connector-test-key-0123',
    });
    await configs.createConfig(
      'twenty-crm',
      {
        baseUrl: 'https://crm.example.com',
        apiKey: 'tw-key-0123456789',
        enabled: true,
        syncMode: 'platform',
      },
      'admin',
    );
    const resolved = await resolveConnectorConfig({ connector: twentyConnector, store: configs, env: {} });
    if (!resolved.success) throw resolved.error;
    expect(resolved.data.config).toMatchObject({ baseUrl: 'https://crm.example.com', syncMode: 'platform' });
    expect(resolved.data.config.credentials.apiKey?.reveal()).toBe('tw-key-0123456789');
    const bad = await resolveConnectorConfig({
      connector: twentyConnector,
      env: { TWENTY_CRM_SYNC_MODE: 'mirror' },
    });
    expect(bad.success || bad.error.message).toContain(
      'syncMode (from env TWENTY_CRM_SYNC_MODE): must be one of disabled, platform, direct_crm',
    );
  });

  it('tests the connection with one authenticated call', async () => {
    const result = await twentyConnector.testConnection?.(
      configFor(twenty.emulator.url, twenty.emulator.apiKey),
    );
    expect(result).toMatchObject({ ok: true, message: 'Successfully connected', details: { status: 200 } });
  });

  it('reports a refused key without showing it, and a missing URL or key without calling', async () => {
    const wrongKey = 'tw-wrong-key-0123456789abcdef';
    const refused = await twentyConnector.testConnection?.(configFor(twenty.emulator.url, wrongKey));
    expect(refused).toMatchObject({ ok: false, details: { status: 401 } });
    expect(JSON.stringify(refused)).not.toContain(wrongKey);
    expect(await twentyConnector.testConnection?.(configFor(undefined, 'k'))).toMatchObject({
      ok: false,
      message: 'baseUrl is required',
      details: { code: 'CONFIG_ERROR' },
    });
    expect(await twentyConnector.testConnection?.(configFor(twenty.emulator.url, undefined))).toMatchObject({
      ok: false,
      message: 'apiKey is required',
    });
  });
});
