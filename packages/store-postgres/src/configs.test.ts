import { expect, it } from 'vitest';
import { describePostgres, useFreshStores } from '../test-support/postgres.ts';

describePostgres('configs', () => {
  const { open, admin } = useFreshStores();

  it('creates with defaults, one row per integration', async () => {
    const store = open();
    expect(await store.configs.exists('twenty-crm')).toEqual({ success: true, data: false });
    const created = await store.configs.create('twenty-crm', {}, 'user-1');
    expect(created).toMatchObject({
      success: true,
      data: {
        integration: 'twenty-crm',
        baseUrl: null,
        apiKeyCiphertext: null,
        enabled: false,
        syncMode: 'disabled',
        settings: {},
        createdBy: 'user-1',
        updatedBy: 'user-1',
      },
    });
    if (!created.success) return;
    expect(created.data.settings).toEqual({});
    expect(created.data.createdAt).toBe(created.data.updatedAt);
    expect(Math.abs(created.data.createdAt - Date.now())).toBeLessThan(60_000);
    expect(await store.configs.exists('twenty-crm')).toEqual({ success: true, data: true });
    expect(await store.configs.get('twenty-crm')).toEqual(created);
    expect(await store.configs.create('twenty-crm', {}, 'user-2')).toMatchObject({
      success: false,
      error: { code: 'CONFLICT', retryable: false },
    });
  });

  it('updates only the fields given; null clears one', async () => {
    const store = open();
    await store.configs.create(
      'twenty-crm',
      {
        baseUrl: 'https://crm.example.com',
        apiKeyCiphertext: 'v1.aaa.bbb',
        enabled: true,
        syncMode: 'direct_crm',
        settings: { batchSize: 60, nested: { on: true } },
      },
      null,
    );
    const updated = await store.configs.update('twenty-crm', { enabled: false, baseUrl: null }, 'admin');
    expect(updated).toMatchObject({
      success: true,
      data: {
        baseUrl: null,
        apiKeyCiphertext: 'v1.aaa.bbb',
        enabled: false,
        syncMode: 'direct_crm',
        settings: { batchSize: 60, nested: { on: true } },
        createdBy: null,
        updatedBy: 'admin',
      },
    });
    if (updated.success) expect(updated.data.updatedAt).toBeGreaterThanOrEqual(updated.data.createdAt);
  });

  it('answers NOT_FOUND for an update of a missing row and null for a get', async () => {
    const store = open();
    expect(await store.configs.update('nope', { enabled: true }, null)).toMatchObject({
      success: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await store.configs.get('nope')).toEqual({ success: true, data: null });
  });

  it('keeps only the ciphertext column for the key (no plain-text key column exists)', async () => {
    const store = open({ schema: `pb_test_cfg_${Date.now().toString(36)}` });
    await store.configs.create('twenty-crm', { apiKeyCiphertext: 'v1.iv.ct' }, null);
    const columns = await admin()<{ column_name: string }[]>`
      select column_name from information_schema.columns
      where table_schema like 'pb_test_cfg_%' and table_name = 'configs' order by column_name`;
    const names = columns.map((c) => c.column_name);
    expect(names).toContain('api_key_ciphertext');
    expect(names.filter((n) => n.includes('key'))).toEqual(['api_key_ciphertext']);
  });

  it('rejects a sync mode the schema does not know as VALIDATION_ERROR', async () => {
    const store = open();
    const result = await store.configs.create('x', { syncMode: 'sideways' as 'platform' }, null);
    expect(result).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', retryable: false } });
  });
});
