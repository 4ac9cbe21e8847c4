// PostgreSQL specifics of configuration rows; what every store shares (defaults, CONFLICT, updates) is in the
// contract suite (store.contract.test.ts).
import { expect, it } from 'vitest';
import { describePostgres, useFreshStores } from '../test-support/postgres.ts';

describePostgres('configs', () => {
  const { open, admin } = useFreshStores();

  it('updates only the fields given; null clears one', async () => {
    const store = open();
    await store.configs.create(
      'twenty-crm',
      {
        baseUrl: 'https://crm.example.com',
        secrets: { apiKey: 'v1.aaa.bbb' },
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
        secrets: { apiKey: 'v1.aaa.bbb' },
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

  it('keeps secrets only as ciphertexts in one jsonb column (no key column exists), merged in one statement', async () => {
    const schema = `pb_test_cfg_${Date.now().toString(36)}`;
    const store = open({ schema });
    await store.configs.create(
      'twenty-crm',
      { secrets: { apiKey: 'v1.iv.ct', clientSecret: 'v1.c.s' } },
      null,
    );
    const columns = await admin()<{ column_name: string; data_type: string }[]>`
      select column_name, data_type from information_schema.columns
      where table_schema = ${schema} and table_name = 'configs' order by column_name`;
    expect(columns.filter((c) => /key|secret/.test(c.column_name))).toEqual([
      { column_name: 'secrets', data_type: 'jsonb' },
    ]);
    const updated = await store.configs.update(
      'twenty-crm',
      { secrets: { clientSecret: null, tokenSet: 'v1.t.s' } },
      null,
    );
    expect(updated).toMatchObject({
      success: true,
      data: { secrets: { apiKey: 'v1.iv.ct', tokenSet: 'v1.t.s' } },
    });
    const [row] = await admin()<{ secrets: Record<string, string> }[]>`
      select secrets from ${admin()(schema)}.configs where integration = 'twenty-crm'`;
    expect(row?.secrets).toEqual({ apiKey: 'v1.iv.ct', tokenSet: 'v1.t.s' });
  });

  it('keeps any mode a connector declares (no CHECK), and refuses an empty one as VALIDATION_ERROR', async () => {
    const store = open();
    expect(await store.configs.create('x', { syncMode: 'webhook_only' }, null)).toMatchObject({
      success: true,
      data: { syncMode: 'webhook_only' },
    });
    const result = await store.configs.create('y', { syncMode: '' }, null);
    expect(result).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', retryable: false } });
  });
});
