import { afterEach, describe, expect, it } from 'vitest';
import { emulatorWithCaller } from '../../test-support/hubspot-caller.ts';
import {
  createHubSpotEmulator,
  HUBSPOT_EMULATOR_TOKEN,
  type RunningHubSpotEmulator,
  startHubSpotEmulator,
} from './emulator.ts';

let running: RunningHubSpotEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('startHubSpotEmulator', () => {
  it('serves the CRM on loopback with the demo token', async () => {
    running = await startHubSpotEmulator({ rateLimit: false });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.token).toBe(HUBSPOT_EMULATOR_TOKEN);
    const created = await fetch(`${running.url}/crm/objects/2026-03/contacts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${running.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ properties: { email: 'a@x.example' } }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-hubspot-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(running.emulator.count('contacts')).toBe(1);
  });
});

describe('createHubSpotEmulator', () => {
  it('wraps the kit faults and counts requests by HubSpot route key', async () => {
    const { hubspot, call } = emulatorWithCaller();
    hubspot.faults.inject({
      kind: 'error',
      status: 502,
      route: 'GET /crm/v3/objects/contacts/:id',
      times: 1,
    });
    hubspot.seedRecords('contacts', [{ email: 'a@x.example' }]);
    expect((await call('GET', '/crm/v3/objects/contacts/1001')).status).toBe(502);
    expect((await call('GET', '/crm/v3/objects/contacts/1001')).status).toBe(200);
    expect(hubspot.counters.count({ route: 'GET /crm/v3/objects/contacts/:id' })).toBe(2);
    expect(hubspot.counters.count({ route: 'GET /crm/v3/objects/contacts/:id', outcome: '5xx' })).toBe(1);
  });

  it('applies a commit-then-fail fault after the write', async () => {
    const { hubspot, call } = emulatorWithCaller();
    hubspot.faults.inject({
      kind: 'commit-then-fail',
      route: 'POST /crm/objects/2026-03/contacts/batch/upsert',
      times: 1,
    });
    const answer = await call('POST', '/crm/objects/2026-03/contacts/batch/upsert', {
      inputs: [{ id: 'a@x.example', idProperty: 'email', properties: {} }],
    });
    expect(answer.status).toBe(500);
    expect(hubspot.count('contacts')).toBe(1);
  });

  it('resets records, associations, counters, faults and windows, keeping types', async () => {
    const { hubspot, call } = emulatorWithCaller({
      customObjects: [{ objectTypeId: '2-7', name: 'pets', properties: ['pet_name'] }],
      properties: { contacts: ['favorite_color'] },
    });
    await call('POST', '/crm/v3/objects/contacts', { properties: { favorite_color: 'blue' } });
    hubspot.faults.inject({ kind: 'reset' });
    hubspot.reset();
    expect(hubspot.count('contacts')).toBe(0);
    expect(hubspot.counters.snapshot().total).toBe(0);
    expect((await call('POST', '/crm/v3/objects/pets', { properties: { pet_name: 'Rex' } })).status).toBe(
      201,
    );
    expect(hubspot.getRecord('pets', '1001')?.properties.pet_name).toBe('Rex');
    expect(hubspot.listRecords('2-7').map((record) => record.id)).toEqual(['1001']);
    expect(hubspot.listRecords('pets', { archived: true })).toEqual([]);
  });

  it('answers 404 for a path it does not serve, and 404 for a wrong method', async () => {
    const { call } = emulatorWithCaller();
    expect((await call('GET', '/crm/v3/objects/contacts/batch/merge')).status).toBe(404);
    const wrong = await call('PUT', '/crm/v3/objects/contacts');
    expect(wrong.status).toBe(404);
    expect(wrong.body.status).toBe('error');
  });

  it('uses seeded correlation ids when seeded', async () => {
    const one = emulatorWithCaller({ seed: 3 });
    const two = emulatorWithCaller({ seed: 3 });
    const a = await one.call('GET', '/crm/v3/objects/contacts/1');
    const b = await two.call('GET', '/crm/v3/objects/contacts/1');
    expect(a.body.correlationId).toBe(b.body.correlationId);
  });

  it('refuses options it cannot work with, naming them', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ token: '' }, 'token'],
      [{ token: 'a b' }, 'token'],
      [{ plan: 'gold' }, 'plan'],
      [{ authKind: 'apikey' }, 'authKind'],
      [{ rateLimit: { max: 0 } }, 'rateLimit.max'],
      [{ batchLimit: 1.5 }, 'batchLimit'],
      [{ baseUrl: 'ftp://x' }, 'baseUrl'],
      [{ scopes: 'all' }, 'scopes'],
      [{ customObjects: [{ objectTypeId: '0-9', name: 'x' }] }, 'customObjects.0'],
      [{ uniqueProperties: { nothings: ['x'] } }, 'uniqueProperties.nothings'],
      [{ properties: { contacts: [1] } }, 'properties.contacts'],
      [{ now: 5 }, 'now'],
    ];
    for (const [options, field] of bad) {
      expect(() => createHubSpotEmulator(options as never), field).toThrow(
        expect.objectContaining({ field }),
      );
    }
    expect(() => createHubSpotEmulator().seedRecords('contacts', [{ nope: 'x' }])).toThrow(
      /PROPERTY_DOESNT_EXIST/,
    );
  });

  it('defaults an OAuth app to 110 per 10 s without daily headers', async () => {
    const { call } = emulatorWithCaller({ authKind: 'oauth', rateLimit: undefined });
    const answer = await call('GET', '/crm/v3/objects/contacts');
    expect(answer.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(answer.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
  });
});
