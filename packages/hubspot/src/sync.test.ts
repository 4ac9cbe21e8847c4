import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import { emulatedHubSpot } from '../test-support/sync-fixtures.ts';
import { createHubSpotSync } from './sync.ts';

const companies = [
  { externalId: 'c-1', name: 'Acme', domain: 'acme.test' },
  { externalId: 'c-2', name: 'Globex' },
];
const contacts = [
  { email: 'Ada@Example.com', name: 'Ada Lovelace', companyExternalId: 'c-1' },
  { email: 'bob@example.com', name: 'Bob', companyExternalId: 'c-3', companyName: 'Initech' },
  { email: 'eve@example.com', firstName: 'Eve' },
];

describe('createHubSpotSync', () => {
  it('creates the companies’ unique property once in setup()', async () => {
    const { sync, hubspot } = emulatedHubSpot();
    expect(await sync().setup()).toEqual({
      success: true,
      data: { createdProperties: ['companies.patchbay_external_id'] },
    });
    expect(await sync().setup()).toEqual({ success: true, data: { createdProperties: [] } });
    expect(hubspot.schema.resolve('companies').uniqueProperties.has('patchbay_external_id')).toBe(true);
  });

  it('syncs companies then contacts: missing companies created, every contact with a company associated', async () => {
    const { sync, hubspot } = emulatedHubSpot();
    const hub = sync();
    await hub.setup();
    const first = await hub.upsertMany('company', companies);
    expect(first).toMatchObject({ success: true, data: { created: 2, failed: 0, associationsCreated: 0 } });
    const people = await hub.upsertMany('contact', contacts);
    expect(people).toMatchObject({
      success: true,
      data: { created: 3, failed: 0, companiesCreated: 1, associationsCreated: 2 },
    });
    const idOf = (external: string) =>
      hubspot.listRecords('companies').find((c) => c.properties.patchbay_external_id === external)?.id;
    const linked = (email: string) => {
      const contact = hubspot.listRecords('contacts').find((c) => c.properties.email === email)!;
      return hubspot.associations.list('0-1', contact.id, '0-2').map((to) => to.toObjectId);
    };
    expect(linked('ada@example.com')).toEqual([idOf('c-1')]);
    expect(linked('bob@example.com')).toEqual([idOf('c-3')]);
    expect(linked('eve@example.com')).toEqual([]);
    expect(hubspot.listRecords('companies').find((c) => c.id === idOf('c-3'))?.properties.name).toBe(
      'Initech',
    );

    // Unchanged: nothing sent, nothing associated again.
    hubspot.counters.reset();
    const again = await hub.upsertMany('contact', contacts);
    expect(again).toMatchObject({ success: true, data: { unchanged: 3, associationsCreated: 0 } });
    expect(hubspot.counters.snapshot().total).toBe(0);

    // A contact moved to another company: written and associated with it.
    const moved = await hub.upsertMany('contact', [{ ...contacts[0]!, companyExternalId: 'c-2' }]);
    expect(moved).toMatchObject({ success: true, data: { updated: 1, associationsCreated: 1 } });
    expect(linked('ada@example.com')).toContain(idOf('c-2'));
  });

  it('writes an association that failed on the next run (the outbox keeps the contacts, the lookup sees it missing)', async () => {
    const { sync, hubspot } = emulatedHubSpot();
    const hub = sync();
    await hub.setup();
    await hub.upsertMany('company', companies);
    hubspot.faults.inject({ kind: 'error', status: 503, route: /associate\/default$/, times: 1 });
    const failed = await hub.upsertMany('contact', contacts.slice(0, 1));
    expect(failed).toMatchObject({ success: true, data: { failed: 1, associationsCreated: 0 } });
    // The contact landed without its company.
    const ada = hubspot.listRecords('contacts')[0]!;
    expect(hubspot.associations.list('0-1', ada.id, '0-2')).toEqual([]);
    const next = await hub.upsertMany('contact', contacts.slice(0, 1));
    expect(next).toMatchObject({ success: true, data: { failed: 0, associationsCreated: 1 } });
    expect(hubspot.associations.list('0-1', ada.id, '0-2')).toHaveLength(1);
    expect(hubspot.count('contacts')).toBe(1);
  });

  it('keys contacts by a custom unique property, created by setup()', async () => {
    const { sync, hubspot } = emulatedHubSpot();
    const hub = sync({ contactIdProperty: 'app_user_id' });
    expect(await hub.setup()).toMatchObject({
      success: true,
      data: { createdProperties: ['companies.patchbay_external_id', 'contacts.app_user_id'] },
    });
    const report = await hub.upsertMany('contact', [{ externalId: 'u-1', email: 'ada@example.com' }]);
    expect(report).toMatchObject({ success: true, data: { created: 1 } });
    // The email changes, the id stays: the same contact is updated.
    const changed = await hub.upsertMany('contact', [{ externalId: 'u-1', email: 'ada@lovelace.test' }]);
    expect(changed).toMatchObject({ success: true, data: { updated: 1 } });
    expect(hubspot.listRecords('contacts').map((c) => c.properties.email)).toEqual(['ada@lovelace.test']);
    const missing = await hub.upsertMany('contact', [{ email: 'no-id@example.com' }]);
    expect(missing).toMatchObject({ success: true, data: { failed: 1 } });
  });

  it('reports a record HubSpot refused without stopping the others', async () => {
    const { sync, hubspot } = emulatedHubSpot();
    const hub = sync({ contactIdProperty: 'app_user_id' });
    await hub.setup();
    // u-3 takes an email u-1 holds: HubSpot refuses the batch (409); halving isolates u-3, the others land.
    const report = await hub.upsertMany('contact', [
      { externalId: 'u-1', email: 'ada@example.com' },
      { externalId: 'u-2', email: 'bob@example.com' },
      { externalId: 'u-3', email: 'ada@example.com' },
    ]);
    expect(report.success).toBe(true);
    if (!report.success) return;
    expect(report.data).toMatchObject({ created: 2, failed: 1 });
    expect(report.data.failures[0]).toMatchObject({ externalId: 'u-3', error: { code: 'CONFLICT' } });
    expect(hubspot.count('contacts')).toBe(2);
  });

  it('does nothing when disabled: no token needed, no request', async () => {
    const sync = createHubSpotSync({ store: createMemoryStore(), mode: 'disabled' });
    expect(await sync.setup()).toEqual({ success: true, data: { createdProperties: [] } });
    expect(await sync.upsertMany('contact', [{ email: 'ada@example.com' }])).toMatchObject({
      success: true,
      data: { skipped: 'disabled', created: 0 },
    });
  });

  it('uses a client it is given, and refuses an unknown type', async () => {
    const { client, hubspot } = emulatedHubSpot();
    const given = client();
    const hub = createHubSpotSync({ client: given, store: createMemoryStore(), lease: false });
    expect(hub.client).toBe(given);
    expect((await hub.setup()).success).toBe(true);
    expect(await hub.upsertMany('deal' as never, [])).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field: 'type' },
    });
    expect(hubspot.count('contacts')).toBe(0);
    expect(await hub.recover()).toEqual({ success: true, data: { recovered: 0, discarded: 0 } });
  });

  it('throws CONFIG_ERROR for bad options, and without a token or client', () => {
    expect(() => createHubSpotSync({ store: createMemoryStore(), accessToken: 'x', batchSize: 500 })).toThrow(
      /batchSize/,
    );
    expect(() => createHubSpotSync({ store: createMemoryStore() })).toThrow(/accessToken/);
  });

  it('fails setup() with HubSpot’s error when the token is refused', async () => {
    const { sync } = emulatedHubSpot();
    const result = await sync({ accessToken: 'pat-refused' }).setup();
    expect(!result.success && result.error.code).toBe('AUTH_ERROR');
  });
});
