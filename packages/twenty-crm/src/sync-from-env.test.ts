import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConfigStore } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import {
  hostileValues,
  throwingProxy,
  watchProcessFailures,
  withThrowingGetter,
} from '@patchbay/core/testing';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useEmulator } from '../test-support/fixtures.ts';
import { createTwentySyncFromEnv } from './sync-from-env.ts';

const twenty = useEmulator();

const SECRET = 'patchbay-test-secret-key-0123456789';
const dbUrl = () => `file:${join(mkdtempSync(join(tmpdir(), 'patchbay-env-')), 'patchbay.db')}`;

describe('createTwentySyncFromEnv', () => {
  it('is disabled by default, and needs neither URL nor key then', async () => {
    const built = await createTwentySyncFromEnv({ env: { PATCHBAY_DATABASE_URL: dbUrl() } });
    expect(built.success).toBe(true);
    if (!built.success) return;
    expect(built.data.config).toMatchObject({ enabled: false, syncMode: 'disabled' });
    const report = await built.data.sync.upsertManyPersons([{ externalId: 'u1', name: 'Ada' }]);
    expect(report.success && report.data.skipped).toBe('disabled');
    await built.data.store.close();
  });

  it('reads TWENTY_CRM_* from env and opens SQLite from PATCHBAY_DATABASE_URL', async () => {
    const env = {
      PATCHBAY_DATABASE_URL: dbUrl(),
      TWENTY_CRM_BASE_URL: twenty.emulator.url,
      TWENTY_CRM_API_KEY: twenty.emulator.apiKey,
      TWENTY_CRM_ENABLED: 'true',
      TWENTY_CRM_SYNC_MODE: 'direct_crm',
    };
    const built = await createTwentySyncFromEnv({ env, rateLimit: false });
    expect(built.success).toBe(true);
    if (!built.success) return;
    expect(built.data.origins).toMatchObject({ baseUrl: 'env', apiKey: 'env', syncMode: 'env' });
    expect((await built.data.sync.setup()).success).toBe(true);
    const result = await built.data.sync.upsertCompany({ externalId: 'env-c1', name: 'From env' });
    expect(result.success && result.data.created).toBe(true);
    await built.data.store.close();
  });

  it('database configuration wins over env', async () => {
    const url = dbUrl();
    const store = createSqliteStore({ path: url.slice('file:'.length) });
    const configs = createConfigStore({ rows: store.configs, secretKey: SECRET });
    const saved = await configs.createConfig(
      'twenty-crm',
      { baseUrl: twenty.emulator.url, apiKey: twenty.emulator.apiKey, enabled: true, syncMode: 'direct_crm' },
      'admin-1',
    );
    expect(saved.success).toBe(true);
    await store.close();

    const env = {
      PATCHBAY_DATABASE_URL: url,
      PATCHBAY_SECRET_KEY: SECRET,
      TWENTY_CRM_BASE_URL: 'https://env.example.test',
      TWENTY_CRM_API_KEY: 'env-key-that-loses',
      TWENTY_CRM_ENABLED: 'false',
    };
    const built = await createTwentySyncFromEnv({ env, rateLimit: false });
    expect(built.success).toBe(true);
    if (!built.success) return;
    expect(built.data.config).toMatchObject({
      baseUrl: twenty.emulator.url,
      enabled: true,
      syncMode: 'direct_crm',
    });
    expect(built.data.origins).toMatchObject({
      baseUrl: 'database',
      apiKey: 'database',
      enabled: 'database',
    });
    await built.data.store.close();
  });

  it('a stored configuration without PATCHBAY_SECRET_KEY is a CONFIG_ERROR naming it', async () => {
    const url = dbUrl();
    const store = createSqliteStore({ path: url.slice('file:'.length) });
    await createConfigStore({ rows: store.configs, secretKey: SECRET }).createConfig(
      'twenty-crm',
      { baseUrl: twenty.emulator.url, apiKey: twenty.emulator.apiKey, enabled: true, syncMode: 'direct_crm' },
      null,
    );
    await store.close();
    const built = await createTwentySyncFromEnv({ env: { PATCHBAY_DATABASE_URL: url } });
    expect(built.success || built.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'PATCHBAY_SECRET_KEY',
    });
  });

  it('names every bad env field', async () => {
    const built = await createTwentySyncFromEnv({
      env: {
        PATCHBAY_DATABASE_URL: dbUrl(),
        TWENTY_CRM_ENABLED: 'true',
        TWENTY_CRM_BASE_URL: 'ftp://nope',
        TWENTY_CRM_SYNC_MODE: 'sometimes',
      },
    });
    expect(built.success).toBe(false);
    if (built.success) return;
    expect(built.error.code).toBe('CONFIG_ERROR');
    const fields = (built.error.issues ?? []).map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['baseUrl', 'syncMode', 'apiKey']));
    expect(built.error.message).toContain('TWENTY_CRM_BASE_URL');
  });

  it('platform mode is a CONFIG_ERROR when syncing', async () => {
    const built = await createTwentySyncFromEnv({
      env: {
        PATCHBAY_DATABASE_URL: dbUrl(),
        TWENTY_CRM_BASE_URL: twenty.emulator.url,
        TWENTY_CRM_API_KEY: twenty.emulator.apiKey,
        TWENTY_CRM_ENABLED: 'true',
        TWENTY_CRM_SYNC_MODE: 'platform',
      },
      rateLimit: false,
    });
    expect(built.success).toBe(true);
    if (!built.success) return;
    const result = await built.data.sync.upsertManyCompanies([{ externalId: 'x', name: 'X' }]);
    expect(result.success || result.error).toMatchObject({ code: 'CONFIG_ERROR', field: 'syncMode' });
    await built.data.store.close();
  });
});

// openStore moved to @patchbay/runtime (its own tests there); what stays here is how this front reports it.
describe('PATCHBAY_DATABASE_URL', () => {
  it('refuses an unknown scheme, naming PATCHBAY_DATABASE_URL', async () => {
    const opened = await createTwentySyncFromEnv({ env: { PATCHBAY_DATABASE_URL: 'mysql://x' } });
    expect(opened.success || opened.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'PATCHBAY_DATABASE_URL',
    });
  });
});

describe('createTwentySyncFromEnv with hostile options', () => {
  // Options it can read fall back to process.env: an in-memory database keeps these tests off the disk.
  beforeEach(() => {
    vi.stubEnv('PATCHBAY_DATABASE_URL', ':memory:');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each(hostileValues())('options of %s resolve: to a sync, or to CONFIG_ERROR', async (_, value) => {
    const watch = watchProcessFailures();
    const built = await createTwentySyncFromEnv(value as never);
    expect(built.success || built.error.code).toBe(built.success || 'CONFIG_ERROR');
    if (built.success) await built.data.store.close();
    expect(await watch.stop()).toEqual([]);
  });

  it('names an env whose getter throws, and survives a store that throws', async () => {
    const env = withThrowingGetter({ PATCHBAY_DATABASE_URL: ':memory:' }, 'TWENTY_CRM_API_KEY');
    const built = await createTwentySyncFromEnv({ env, store: createMemoryStore() });
    expect(built.success || built.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'env.TWENTY_CRM_API_KEY',
    });
    const proxyEnv = await createTwentySyncFromEnv({ env: throwingProxy() as never });
    expect(proxyEnv.success || proxyEnv.error.code).toBe('CONFIG_ERROR');
    const broken = { ...createMemoryStore(), configs: throwingProxy() };
    const withBroken = await createTwentySyncFromEnv({ env: {}, store: broken as never });
    expect(withBroken.success || withBroken.error.name).toBe(withBroken.success || 'IntegrationError');
  });
});
