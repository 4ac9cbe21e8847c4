// client.fields against the Pipedrive emulator's msw handlers: v2 lists of every page, v1 creates answered as v2
// definitions, the custom-field names resolving to a new field at once, the token budget spent before sending, and
// every hostile argument refused by field before any request.
import { type ApiResult, ERROR_CODES } from '@patchbay/core';
import { hostileValues, watchProcessFailures, withThrowingGetter } from '@patchbay/core/testing';
import { createPipedriveEmulator } from '@patchbay/emulators';
import { pipedriveMswHandlers } from '@patchbay/emulators/msw';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPipedriveClient, type PipedriveClientOptions } from './client.ts';

const BASE = 'https://fields.pipedrive.test';
const RAW = 'https://raw.pipedrive.test';
let pipedrive = createPipedriveEmulator({ rateLimit: false, baseUrl: BASE });
const server = setupServer(
  // Through a wrapper, so each test's fresh emulator answers.
  ...pipedriveMswHandlers({
    handler: (request: Request) => pipedrive.handler(request),
    baseUrl: BASE,
  } as unknown as typeof pipedrive),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  // A fresh emulator per test: reset() keeps the field definitions made through the API.
  pipedrive = createPipedriveEmulator({ rateLimit: false, baseUrl: BASE });
});
afterAll(() => server.close());

const clientFor = (options: Partial<PipedriveClientOptions> = {}) =>
  createPipedriveClient({
    apiToken: pipedrive.apiToken,
    baseUrl: BASE,
    rateLimit: false,
    retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
const v = (value: unknown) => value as never;
const NAME = 'Patchbay external ID';

describe('client.fields.create', () => {
  it('creates a varchar field on persons and organizations, answered as a v2 definition', async () => {
    const client = clientFor();
    for (const entity of ['person', 'organization'] as const) {
      const created = await client.fields.create(entity, { name: NAME, field_type: 'varchar' });
      expect(created.success).toBe(true);
      if (!created.success) return;
      expect(created.data).toEqual({
        field_code: expect.stringMatching(/^[0-9a-f]{40}$/),
        field_name: NAME,
        field_type: 'varchar',
        is_custom_field: true,
        options: null,
      });
      const listed = await client.fields.list(entity);
      expect(listed.success && listed.data.find((f) => f.field_name === NAME)?.field_code).toBe(
        created.data.field_code,
      );
    }
    expect(pipedrive.counters.count({ route: 'POST /v1/personFields', outcome: 200 })).toBe(1);
    expect(pipedrive.counters.count({ route: 'POST /v1/organizationFields', outcome: 200 })).toBe(1);
  });

  it('creates enum and set fields with their options, usable by label at once', async () => {
    const client = clientFor({ customFields: { deal: { kind: 'Kind' } } });
    const created = await client.fields.create('deal', {
      name: 'Kind',
      field_type: 'enum',
      options: [{ label: 'New' }, { label: 'Renewal' }],
    });
    expect(created.success && created.data.options?.map((o) => o.label)).toEqual(['New', 'Renewal']);
    const deal = await client.deals.create({ title: 'D', custom: { kind: 'Renewal' } } as never);
    expect(deal.success && deal.data.custom).toEqual({ kind: 'Renewal' });
  });

  it('makes a customFields name given before the field existed resolve on the next call', async () => {
    const client = clientFor({ customFields: { person: { externalId: NAME } } });
    const before = await client.persons.create({ name: 'Ada', custom: { externalId: 'ext-1' } });
    expect(before.success || before.error).toMatchObject({ code: 'CONFIG_ERROR' });
    const created = await client.fields.create('person', { name: NAME, field_type: 'varchar' });
    expect(created.success).toBe(true);
    const after = await client.persons.create({ name: 'Ada', custom: { externalId: 'ext-1' } });
    expect(after.success && after.data.custom).toEqual({ externalId: 'ext-1' });
  });

  it('forgets names already resolved, so a new exact match wins over an earlier loose one', async () => {
    const loose = pipedrive.defineField('person', { name: 'PATCHBAY EXTERNAL ID', type: 'varchar' });
    const client = clientFor({ customFields: { person: { externalId: NAME } } });
    const first = await client.persons.create({ name: 'Ada', custom: { externalId: 'a' } });
    expect(first.success).toBe(true);
    expect(pipedrive.store.all('person')[0]!.custom_fields).toEqual({ [loose.field_code]: 'a' });
    const created = await client.fields.create('person', { name: NAME, field_type: 'varchar' });
    if (!created.success) throw created.error;
    const second = await client.persons.create({ name: 'Grace', custom: { externalId: 'g' } });
    expect(second.success).toBe(true);
    const stored = pipedrive.store.all('person')[1]!.custom_fields;
    expect(stored[created.data.field_code]).toBe('g');
    expect(stored[loose.field_code] ?? null).toBeNull();
  });

  it('spends the v1 create cost from the budget before sending, and sends nothing when it is out', async () => {
    const client = clientFor({ tokenBudget: { dailyTokens: 15 } });
    expect((await client.fields.create('person', { name: 'A', field_type: 'text' })).success).toBe(true);
    expect(client.tokenBudget?.state().remaining).toBe(5);
    const refused = await client.fields.create('person', { name: 'B', field_type: 'text' });
    expect(refused.success || refused.error.code).toBe('RATE_LIMIT');
    expect(pipedrive.counters.count({ route: 'POST /v1/personFields' })).toBe(1);
  });

  it('answers INVALID_RESPONSE for an answer without a 40-hex key, and maps a 400', async () => {
    server.use(
      http.post(`${RAW}/v1/personFields`, () =>
        HttpResponse.json({ success: true, data: { id: 1, key: 'name', name: 'x', field_type: 'varchar' } }),
      ),
      http.post(`${RAW}/v1/dealFields`, () =>
        HttpResponse.json(
          { success: false, error: 'Field name too long', error_info: 'see docs', data: null },
          { status: 400 },
        ),
      ),
    );
    const client = createPipedriveClient({ apiToken: 't', baseUrl: RAW, rateLimit: false, retry: false });
    const odd = await client.fields.create('person', { name: 'x', field_type: 'varchar' });
    expect(odd.success || odd.error.code).toBe('INVALID_RESPONSE');
    const refused = await client.fields.create('deal', { name: 'x', field_type: 'varchar' });
    expect(refused.success).toBe(false);
    expect(refused.success || refused.error.message).toContain('Field name too long');
  });
});

describe('client.fields.list', () => {
  it('lists standard and custom fields of every record type', async () => {
    pipedrive.defineField('activity', { name: 'Channel', type: 'varchar' });
    const client = clientFor();
    const listed = await client.fields.list('activity');
    expect(listed.success).toBe(true);
    if (!listed.success) return;
    expect(listed.data[0]).toMatchObject({ field_code: 'subject', is_custom_field: false });
    expect(listed.data.at(-1)).toMatchObject({ field_name: 'Channel', is_custom_field: true });
  });

  it('reads every page over next_cursor', async () => {
    const cursors: (string | null)[] = [];
    server.use(
      http.get(`${RAW}/api/v2/personFields`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        cursors.push(cursor);
        const field = (code: string) => ({ field_code: code, field_name: code, field_type: 'varchar' });
        return HttpResponse.json(
          cursor === null
            ? { success: true, data: [field('a')], additional_data: { next_cursor: 'c2' } }
            : { success: true, data: [field('b')], additional_data: { next_cursor: null } },
        );
      }),
    );
    const client = createPipedriveClient({ apiToken: 't', baseUrl: RAW, rateLimit: false, retry: false });
    const listed = await client.fields.list('person');
    expect(listed.success && listed.data.map((f) => f.field_code)).toEqual(['a', 'b']);
    expect(cursors).toEqual([null, 'c2']);
  });
});

describe('client.fields: hostile arguments', () => {
  const calls: [string, (client: ReturnType<typeof clientFor>, x: unknown) => Promise<ApiResult<unknown>>][] =
    [
      ['list(entity)', (c, x) => c.fields.list(v(x))],
      ['list(options)', (c, x) => c.fields.list('person', v(x))],
      ['create(entity)', (c, x) => c.fields.create(v(x), { name: 'x', field_type: 'varchar' })],
      ['create(input)', (c, x) => c.fields.create('person', v(x))],
      ['create({ name })', (c, x) => c.fields.create('person', v({ name: x, field_type: 'varchar' }))],
      ['create({ field_type })', (c, x) => c.fields.create('person', v({ name: 'x', field_type: x }))],
      [
        'create({ options })',
        (c, x) => c.fields.create('person', v({ name: 'x', field_type: 'set', options: x })),
      ],
      [
        'create({ options: [{ label }] })',
        (c, x) => c.fields.create('person', v({ name: 'x', field_type: 'set', options: [{ label: x }] })),
      ],
      ['create(options)', (c, x) => c.fields.create('person', { name: 'x', field_type: 'varchar' }, v(x))],
    ];

  it.each(calls)(
    '%s resolves for every hostile value: refused by field, or sent well-formed',
    async (_, run) => {
      const watch = watchProcessFailures();
      const wrong: string[] = [];
      for (const [label, value] of hostileValues()) {
        pipedrive.counters.reset();
        let result: ApiResult<unknown>;
        try {
          result = await run(clientFor(), value);
        } catch (error) {
          wrong.push(`${label}: threw ${String(error)}`);
          continue;
        }
        if (result.success) continue;
        const { error } = result;
        const sent = pipedrive.counters.count();
        if (error.name !== 'IntegrationError' || !ERROR_CODES.includes(error.code)) {
          wrong.push(`${label}: untyped ${error.name} ${error.code}`);
        } else if (sent === 0 && (error.code !== 'VALIDATION_ERROR' || !error.field)) {
          wrong.push(`${label}: refused with ${error.code}, field ${error.field}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(await watch.stop()).toEqual([]);
    },
  );

  it('refuses bad definitions by field, before any request', async () => {
    const client = clientFor();
    const cases: [unknown, unknown, string][] = [
      ['activity', { name: 'x', field_type: 'varchar' }, 'entity'],
      ['persons', { name: 'x', field_type: 'varchar' }, 'entity'],
      ['person', null, 'input'],
      ['person', [], 'input'],
      ['person', { field_type: 'varchar' }, 'input.name'],
      ['person', { name: '', field_type: 'varchar' }, 'input.name'],
      ['person', { name: '   ', field_type: 'varchar' }, 'input.name'],
      ['person', { name: 'x'.repeat(256), field_type: 'varchar' }, 'input.name'],
      ['person', { name: 'x' }, 'input.field_type'],
      ['person', { name: 'x', field_type: 'int' }, 'input.field_type'],
      ['person', { name: 'x', field_type: 'visible_to' }, 'input.field_type'],
      ['person', { name: 'x', field_type: 'VARCHAR' }, 'input.field_type'],
      ['person', { name: 'x', field_type: 'varchar', type: 'varchar' }, 'input'],
      ['person', { name: 'x', field_type: 'enum' }, 'input.options'],
      ['person', { name: 'x', field_type: 'set', options: [] }, 'input.options'],
      ['person', { name: 'x', field_type: 'set', options: ['a'] }, 'input.options.0'],
      ['person', { name: 'x', field_type: 'set', options: [{ label: '' }] }, 'input.options.0.label'],
      [
        'person',
        { name: 'x', field_type: 'set', options: [{ label: 'a' }, { label: 'a' }] },
        'input.options.1.label',
      ],
      ['person', { name: 'x', field_type: 'varchar', options: [{ label: 'a' }] }, 'input.options'],
      ['person', withThrowingGetter({ name: 'x', field_type: 'varchar' }, 'name'), 'name'],
    ];
    for (const [entity, input, field] of cases) {
      const result = await client.fields.create(v(entity), v(input));
      expect(result.success || result.error, JSON.stringify([entity, field])).toMatchObject({
        code: 'VALIDATION_ERROR',
      });
      expect(result.success || result.error.field).toContain(field);
    }
    const badEntity = await client.fields.list(v('product'));
    expect(badEntity.success || badEntity.error.field).toBe('entity');
    const badSignal = await client.fields.create(
      'person',
      { name: 'x', field_type: 'varchar' },
      v({ signal: 1 }),
    );
    expect(badSignal.success || badSignal.error.code).toBe('VALIDATION_ERROR');
    expect(pipedrive.counters.count()).toBe(0);
  });
});
