import { createConfigStore, defineConnector, type IntegrationConfig, Secret } from '@patchbay/core';
import { createMemoryStore, type StoredIntegrationConfig } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { viewOfConfig, viewOfRow } from './admin-view.ts';

const acme = defineConnector({
  id: 'acme-crm',
  envPrefix: 'ACME_CRM',
  credentials: { apiKey: { secret: true }, projectId: { secret: false } },
  settings: z.object({ region: z.optional(z.string()) }),
});
const plain = defineConnector({ id: 'plain', envPrefix: 'PLAIN', credentials: { token: { secret: true } } });

const audit = { createdBy: 'a', updatedBy: 'b', createdAt: 0, updatedAt: 86_400_000 };
const row = (secrets: Record<string, string>): StoredIntegrationConfig => ({
  integration: 'acme-crm',
  baseUrl: 'https://acme.example',
  secrets,
  enabled: true,
  syncMode: 'mirror',
  settings: { region: 'eu' },
  ...audit,
});

describe('viewOfConfig', () => {
  it('shows a secret only as set, a non-secret credential as its value, settings and audit fields', async () => {
    const store = createMemoryStore();
    const configs = createConfigStore({ rows: store.configs, secretKey: 'a-secret-key-of-enough-length' });
    const saved = await configs.createConfig(
      'acme-crm',
      {
        baseUrl: 'https://acme.example',
        secrets: { apiKey: 'sk-123456', projectId: 'p-1' },
        settings: { region: 'eu' },
      },
      'a',
    );
    if (!saved.success) throw saved.error;
    const view = viewOfConfig(acme, saved.data);
    expect(view).toMatchObject({
      baseUrl: 'https://acme.example',
      apiKey: { set: true },
      projectId: 'p-1',
      settings: { region: 'eu' },
      createdBy: 'a',
    });
    expect(JSON.stringify(view)).not.toContain('sk-123456');
  });

  it('shows unset credentials as not set or null, and no settings for a connector without them', () => {
    const config = {
      ...row({}),
      secrets: {},
      apiKey: null,
    } as unknown as IntegrationConfig;
    expect(viewOfConfig(acme, config)).toMatchObject({ apiKey: { set: false }, projectId: null });
    const other = { ...config, secrets: { token: new Secret('t-1234') } } as unknown as IntegrationConfig;
    const view = viewOfConfig(plain, other);
    expect(view.token).toEqual({ set: true });
    expect(view).not.toHaveProperty('settings');
  });
});

describe('viewOfRow', () => {
  it('tells set secrets from the ciphertexts alone, dates as ISO 8601', () => {
    expect(viewOfRow(acme, row({ apiKey: 'v1.a.b' }))).toEqual({
      baseUrl: 'https://acme.example',
      apiKey: { set: true },
      projectId: null,
      enabled: true,
      syncMode: 'mirror',
      settings: { region: 'eu' },
      createdBy: 'a',
      updatedBy: 'b',
      createdAt: '1970-01-01T00:00:00.000Z',
      updatedAt: '1970-01-02T00:00:00.000Z',
    });
  });

  it('lists stored non-secret credentials it was not given as unreadable', () => {
    const stored = row({ apiKey: 'v1.a.b', projectId: 'v1.c.d' });
    expect(viewOfRow(acme, stored)).toMatchObject({ projectId: null, unreadable: ['projectId'] });
    expect(viewOfRow(acme, stored, { projectId: 'p-1' })).toMatchObject({ projectId: 'p-1' });
    expect(viewOfRow(acme, stored, { projectId: 'p-1' })).not.toHaveProperty('unreadable');
  });

  it('reads a row whose secrets are not an object as holding none', () => {
    const odd = { ...row({}), secrets: 'garbage' } as unknown as StoredIntegrationConfig;
    expect(viewOfRow(acme, odd)).toMatchObject({ apiKey: { set: false }, projectId: null });
  });
});
