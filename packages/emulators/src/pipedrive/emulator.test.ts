import { afterEach, describe, expect, it } from 'vitest';
import { emulatorWithCaller } from '../../test-support/pipedrive-caller.ts';
import {
  createPipedriveEmulator,
  PIPEDRIVE_EMULATOR_TOKEN,
  type RunningPipedriveEmulator,
  startPipedriveEmulator,
} from './emulator.ts';

let running: RunningPipedriveEmulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('startPipedriveEmulator', () => {
  it('serves the API on loopback with the demo token', async () => {
    running = await startPipedriveEmulator({ rateLimit: false });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.apiToken).toBe(PIPEDRIVE_EMULATOR_TOKEN);
    const created = await fetch(`${running.url}/api/v2/persons`, {
      method: 'POST',
      headers: { 'x-api-token': running.apiToken, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(created.status).toBe(200);
    expect(running.emulator.list('person')).toHaveLength(1);
  });
});

describe('createPipedriveEmulator', () => {
  it('budgets 30 000 × plan multiplier × seats, with the plan burst', () => {
    expect(createPipedriveEmulator().limits?.dailyTokens).toBe(30_000);
    expect(createPipedriveEmulator({ plan: 'growth', seats: 3 }).limits?.dailyTokens).toBe(180_000);
    expect(createPipedriveEmulator({ plan: 'ultimate', dailyTokens: 5 }).limits?.dailyTokens).toBe(5);
    expect(createPipedriveEmulator({ rateLimit: false }).limits).toBeUndefined();
  });

  it('wraps the kit faults and counts requests by route key', async () => {
    const { pipedrive, call } = emulatorWithCaller();
    pipedrive.seed('person', [{ name: 'Ada' }]);
    pipedrive.faults.inject({ kind: 'error', status: 502, route: 'GET /api/v2/persons/:id', times: 1 });
    expect((await call('GET', '/api/v2/persons/1')).status).toBe(502);
    expect((await call('GET', '/api/v2/persons/1')).status).toBe(200);
    expect(pipedrive.counters.count({ route: 'GET /api/v2/persons/:id' })).toBe(2);
    expect(pipedrive.counters.count({ route: 'GET /api/v2/persons/:id', outcome: '5xx' })).toBe(1);
  });

  it('applies a commit-then-fail fault after the write, still announcing it', async () => {
    const { pipedrive, call } = emulatorWithCaller();
    await call('POST', '/v1/webhooks', {
      subscription_url: 'https://r.example.test',
      event_action: '*',
      event_object: '*',
    });
    pipedrive.faults.inject({ kind: 'commit-then-fail', route: 'POST /api/v2/persons', times: 1 });
    expect((await call('POST', '/api/v2/persons', { name: 'Ada' })).status).toBe(500);
    expect(pipedrive.list('person')).toHaveLength(1);
    expect(pipedrive.webhookDeliveries()).toHaveLength(1);
  });

  it('seeds without webhooks, defines fields from options, and resets', async () => {
    const { pipedrive, call } = emulatorWithCaller({
      customFields: { person: [{ name: 'External id', type: 'varchar', key: 'e'.repeat(40) }] },
    });
    await call('POST', '/v1/webhooks', {
      subscription_url: 'https://r.example.test',
      event_action: '*',
      event_object: '*',
    });
    pipedrive.seed('person', [{ name: 'Ada', custom_fields: { ['e'.repeat(40)]: 'x-1' } }]);
    expect(pipedrive.webhookDeliveries()).toEqual([]);
    expect(pipedrive.get('person', 1)?.custom_fields).toEqual({ ['e'.repeat(40)]: 'x-1' });
    expect(() => pipedrive.seed('person', [{ name: 'B', custom_fields: { ['e'.repeat(40)]: 1 } }])).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'records' }),
    );
    pipedrive.appChange('person', { action: 'create', values: { name: 'Grace' } });
    expect(pipedrive.webhookDeliveries()[0]?.body.meta.change_source).toBe('app');
    pipedrive.appChange('person', { action: 'merge', id: 2, intoId: 1 });
    expect(
      pipedrive
        .webhookDeliveries()
        .slice(1)
        .map((d) => [d.body.meta.action, d.body.meta.entity_id]),
    ).toEqual([
      ['delete', '2'],
      ['change', '1'],
    ]);
    expect(pipedrive.list('person').map((p) => p.id)).toEqual([1]);
    pipedrive.reset();
    expect(pipedrive.list('person')).toEqual([]);
    expect(pipedrive.webhooks.list()).toEqual([]);
    expect(pipedrive.fields.list('person').some((f) => f.field_code === 'e'.repeat(40))).toBe(true);
  });

  it.each([
    [{ plan: 'gold' }, 'plan'],
    [{ seats: 0 }, 'seats'],
    [{ apiToken: '' }, 'apiToken'],
    [{ baseUrl: 'ftp://x' }, 'baseUrl'],
    [{ deliverWebhooks: 'post' }, 'deliverWebhooks'],
    [{ rateLimit: true }, 'rateLimit'],
    [{ customFields: { person: [{ name: 'x', type: 'blob' }] } }, 'customFields.person.0'],
  ])('refuses %j naming the option', (options, field) => {
    expect(() => createPipedriveEmulator(options as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field }),
    );
  });
});
