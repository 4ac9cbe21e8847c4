import { describe, expect, it } from 'vitest';
import { emulatorWithCaller } from '../../test-support/pipedrive-caller.ts';
import { parsePipedrivePath, pipedriveRouteKey } from './routes.ts';

describe('parsePipedrivePath and pipedriveRouteKey', () => {
  it('knows the v2 and v1 routes', () => {
    expect(parsePipedrivePath('/api/v2/persons/12')).toEqual({
      kind: 'records',
      entity: 'person',
      id: 12,
      plural: 'persons',
    });
    expect(parsePipedrivePath('/api/v2/persons/search')).toEqual({ kind: 'search' });
    expect(parsePipedrivePath('/api/v2/organizationFields')).toMatchObject({
      kind: 'fields',
      entity: 'organization',
    });
    expect(parsePipedrivePath('/v1/webhooks/3')).toEqual({ kind: 'webhooks', id: 3 });
    expect(parsePipedrivePath('/v1/personFields')).toEqual({ kind: 'v1fields', entity: 'person' });
    expect(parsePipedrivePath('/api/v1/dealFields/')).toEqual({ kind: 'v1fields', entity: 'deal' });
    expect(parsePipedrivePath('/v1/activityFields')).toBeUndefined();
    expect(parsePipedrivePath('/api/v1/notes')).toEqual({ kind: 'notes' });
    expect(parsePipedrivePath('/api/v2/products')).toBeUndefined();
    expect(parsePipedrivePath('/api/v2/persons/abc')).toBeUndefined();
  });
  it('keys requests with ids as :id', () => {
    expect(pipedriveRouteKey(new Request('http://h/api/v2/persons/12?x=1', { method: 'PATCH' }))).toBe(
      'PATCH /api/v2/persons/:id',
    );
    expect(pipedriveRouteKey(new Request('http://h/v1/notes'))).toBe('GET /v1/notes');
  });
});

describe('auth', () => {
  it('answers 401 in the failure envelope without a token or with a wrong one', async () => {
    const { call } = emulatorWithCaller();
    const variants: Record<string, string>[] = [
      {},
      { 'x-api-token': 'nope' },
      { authorization: 'Bearer nope' },
    ];
    for (const headers of variants) {
      const answer = await call('GET', '/api/v2/persons', undefined, headers);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({
        success: false,
        error: 'unauthorized access',
        data: null,
        additional_data: null,
      });
    }
  });
  it('takes ?api_token= on v1 only, and Bearer for OAuth tokens', async () => {
    const { pipedrive, call } = emulatorWithCaller({ acceptToken: (token) => token === 'oauth-1' });
    expect((await call('GET', `/v1/notes?api_token=${pipedrive.apiToken}`, undefined, {})).status).toBe(200);
    expect((await call('GET', `/api/v2/persons?api_token=${pipedrive.apiToken}`, undefined, {})).status).toBe(
      401,
    );
    expect(
      (await call('GET', '/api/v2/persons', undefined, { authorization: 'Bearer oauth-1' })).status,
    ).toBe(200);
  });
  it('accepts the oauthToken option as Bearer, with four times the burst', async () => {
    const { call } = emulatorWithCaller({ oauthToken: 'oa', rateLimit: undefined });
    const answer = await call('GET', '/api/v2/persons', undefined, { authorization: 'Bearer oa' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-ratelimit-limit')).toBe('80');
  });
});

describe('v2 records', () => {
  it('creates, reads, lists, updates and deletes a person', async () => {
    const { pipedrive, call, tick } = emulatorWithCaller();
    const ext = pipedrive.defineField('person', { name: 'External id', type: 'varchar' }).field_code;
    const created = await call('POST', '/api/v2/persons', {
      name: 'Ada Lovelace',
      emails: [{ value: 'ada@x.example', label: 'work', primary: true }],
      custom_fields: { [ext]: 'ext-1' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      success: true,
      data: {
        id: 1,
        name: 'Ada Lovelace',
        emails: [{ value: 'ada@x.example', primary: true, label: 'work' }],
        custom_fields: { [ext]: 'ext-1' },
      },
    });
    tick(1000);
    const updated = await call('PATCH', '/api/v2/persons/1', { custom_fields: { [ext]: 'ext-2' } });
    expect(updated.body.data.custom_fields[ext]).toBe('ext-2');
    expect(updated.body.data.update_time).toBe('2026-01-05T12:00:01Z');
    const one = await call('GET', `/api/v2/persons/1?custom_fields=${ext}&include_fields=open_deals_count`);
    expect(one.body.data).toMatchObject({ open_deals_count: 0, custom_fields: { [ext]: 'ext-2' } });
    const list = await call('GET', '/api/v2/persons?updated_since=2026-01-05T12:00:01Z');
    expect(list.body).toMatchObject({ success: true, additional_data: { next_cursor: null } });
    expect(list.body.data).toHaveLength(1);
    expect((await call('DELETE', '/api/v2/persons/1')).body).toEqual({ success: true, data: { id: 1 } });
    const gone = await call('GET', '/api/v2/persons/1');
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ success: false, error: 'Person not found' });
  });

  it('pages organizations, deals and activities with next_cursor', async () => {
    const { pipedrive, call } = emulatorWithCaller();
    pipedrive.seed('organization', [{ name: 'A' }, { name: 'B' }, { name: 'C' }]);
    const first = await call('GET', '/api/v2/organizations?limit=2');
    expect(first.body.data.map((o: { name: string }) => o.name)).toEqual(['A', 'B']);
    const second = await call(
      'GET',
      `/api/v2/organizations?limit=2&cursor=${first.body.additional_data.next_cursor}`,
    );
    expect(second.body.data.map((o: { name: string }) => o.name)).toEqual(['C']);
    expect(
      (await call('POST', '/api/v2/deals', { title: 'Big', value: 10, org_id: 1 })).body.data,
    ).toMatchObject({ title: 'Big', status: 'open' });
    expect(
      (await call('POST', '/api/v2/activities', { subject: 'Call', done: false })).body.data.subject,
    ).toBe('Call');
    expect((await call('GET', '/api/v2/activities')).body.data).toHaveLength(1);
  });

  it('answers 400 for bad parameters, bodies and custom values', async () => {
    const { pipedrive, call } = emulatorWithCaller();
    const score = pipedrive.defineField('person', { name: 'Score', type: 'double' }).field_code;
    for (const [method, path, body] of [
      ['GET', '/api/v2/persons?limit=501', undefined],
      ['POST', '/api/v2/persons', { emails: [] }],
      ['POST', '/api/v2/persons', { name: 'x', custom_fields: { [score]: 'high' } }],
      ['POST', '/api/v2/persons', '{not json'],
    ] as const) {
      const answer = await call(method, path, body);
      expect(answer.status).toBe(400);
      expect(answer.body.success).toBe(false);
    }
    expect((await call('PATCH', '/api/v2/persons/9', { name: 'x' })).status).toBe(404);
    expect((await call('GET', '/api/v2/products')).status).toBe(404);
  });

  it('serves and creates field definitions', async () => {
    const { call } = emulatorWithCaller();
    const created = await call('POST', '/api/v2/personFields', {
      field_name: 'Tier',
      field_type: 'enum',
      options: [{ label: 'Gold' }],
    });
    expect(created.body.data).toMatchObject({
      field_name: 'Tier',
      field_type: 'enum',
      options: [{ label: 'Gold' }],
    });
    expect(created.body.data.field_code).toMatch(/^[0-9a-f]{40}$/);
    const listed = await call('GET', '/api/v2/personFields');
    expect(listed.body.data.at(-1).field_code).toBe(created.body.data.field_code);
    expect((await call('POST', '/api/v2/personFields', { field_name: 'x', field_type: 'blob' })).status).toBe(
      400,
    );
  });

  it('creates fields on v1 as v1 answers, usable at once in v2 lists and writes', async () => {
    const { call } = emulatorWithCaller();
    const created = await call('POST', '/v1/personFields', {
      name: 'Patchbay external ID',
      field_type: 'varchar',
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      success: true,
      data: {
        name: 'Patchbay external ID',
        field_type: 'varchar',
        add_time: '2026-01-05 12:00:00',
        options: null,
        active_flag: true,
      },
    });
    expect(created.body.data.id).toBeTypeOf('number');
    const key: string = created.body.data.key;
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    const listed = await call('GET', '/api/v2/personFields');
    expect(listed.body.data.at(-1)).toMatchObject({
      field_code: key,
      field_name: 'Patchbay external ID',
      is_custom_field: true,
    });
    const person = await call('POST', '/api/v2/persons', { name: 'Ada', custom_fields: { [key]: 'ext-1' } });
    expect(person.status).toBe(200);
    expect(person.body.data.custom_fields[key]).toBe('ext-1');
    expect(
      (await call('GET', '/api/v2/organizationFields')).body.data.some(
        (f: { field_code: string }) => f.field_code === key,
      ),
    ).toBe(false);

    const tier = await call('POST', '/api/v1/organizationFields', {
      name: 'Tier',
      field_type: 'enum',
      options: [{ label: 'Gold' }, { label: 'Silver' }],
    });
    expect(tier.body.data.options).toMatchObject([{ label: 'Gold' }, { label: 'Silver' }]);
    expect((await call('POST', '/v1/dealFields', { name: 'Due', field_type: 'daterange' })).status).toBe(200);
  });

  it('refuses bad v1 field creates with a 400 in the failure envelope', async () => {
    const { call } = emulatorWithCaller();
    const bad: [unknown, RegExp][] = [
      [{ field_type: 'varchar' }, /name/],
      [{ name: '', field_type: 'varchar' }, /name/],
      [{ name: 'x', field_type: 'blob' }, /field_type/],
      [{ name: 'x' }, /field_type/],
      [{ name: 'x', field_type: 'set' }, /options/],
      ['not json', /JSON/],
    ];
    for (const [body, message] of bad) {
      const answer = await call('POST', '/v1/personFields', body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ success: false, data: null, additional_data: null });
      expect(answer.body.error).toMatch(message);
    }
    expect((await call('GET', '/v1/personFields')).status).toBe(405);
    expect((await call('POST', '/v1/personFields', { name: 'x', field_type: 'varchar' }, {})).status).toBe(
      401,
    );
  });

  it('charges a v1 field create the v1 write cost, and takes ?api_token=', async () => {
    const { pipedrive, call } = emulatorWithCaller({ rateLimit: undefined });
    const before = pipedrive.limits!.dailyRemaining();
    const answer = await call(
      'POST',
      `/v1/personFields?api_token=${pipedrive.apiToken}`,
      { name: 'x', field_type: 'text' },
      { 'content-type': 'application/json' },
    );
    expect(answer.status).toBe(200);
    expect(before - pipedrive.limits!.dailyRemaining()).toBe(10);
  });

  it('searches persons', async () => {
    const { pipedrive, call } = emulatorWithCaller();
    pipedrive.seed('person', [{ name: 'Ada', emails: [{ value: 'ada@x.example' }] }, { name: 'Grace' }]);
    const answer = await call(
      'GET',
      '/api/v2/persons/search?term=ada@x.example&fields=email&exact_match=true',
    );
    expect(answer.body).toMatchObject({
      success: true,
      data: { items: [{ item: { id: 1, emails: ['ada@x.example'] } }] },
    });
    expect((await call('GET', '/api/v2/persons/search?term=a')).status).toBe(400);
  });
});

describe('v1 notes, leads and webhooks', () => {
  it('creates and lists notes with v1 pagination', async () => {
    const { call } = emulatorWithCaller();
    for (const content of ['a', 'b', 'c'])
      expect((await call('POST', '/v1/notes', { content, person_id: 1 })).status).toBe(200);
    const page = await call('GET', '/v1/notes?start=0&limit=2');
    expect(page.body).toMatchObject({
      success: true,
      additional_data: { pagination: { start: 0, limit: 2, more_items_in_collection: true, next_start: 2 } },
    });
    const last = await call('GET', '/v1/notes?start=2&limit=2');
    expect(last.body.additional_data.pagination).toEqual({
      start: 2,
      limit: 2,
      more_items_in_collection: false,
    });
    expect((await call('POST', '/v1/notes', { content: 'x' })).status).toBe(400);
    expect((await call('GET', '/v1/notes/1')).body.data.content).toBe('a');
    expect((await call('DELETE', '/v1/notes/1')).body).toEqual({ success: true, data: { id: 1 } });
    expect((await call('DELETE', '/v1/notes/1')).status).toBe(404);
  });

  it('creates and lists leads', async () => {
    const { call } = emulatorWithCaller();
    const lead = await call('POST', '/v1/leads', { title: 'Lead', person_id: 1 });
    expect(lead.status).toBe(201);
    expect(lead.body.data.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await call('GET', '/v1/leads')).body.data).toHaveLength(1);
  });

  it('registers webhooks and delivers v2 payloads on API writes and app changes', async () => {
    const { pipedrive, call } = emulatorWithCaller();
    const hook = await call('POST', '/v1/webhooks', {
      subscription_url: 'https://receiver.example.test/hook',
      event_action: '*',
      event_object: 'person',
      http_auth_user: 'u',
      http_auth_password: 'p',
      version: '2.0',
    });
    expect(hook.status).toBe(201);
    expect(hook.body).toMatchObject({ success: true, status: 'ok', data: { id: 1, version: '2.0' } });
    await call('POST', '/api/v2/persons', { name: 'Ada' });
    await call('PATCH', '/api/v2/persons/1', { name: 'Ada L' });
    pipedrive.appChange('person', { action: 'change', id: 1, values: { name: 'Ada K' } });
    await call('DELETE', '/api/v2/persons/1');
    const deliveries = pipedrive.webhookDeliveries();
    expect(deliveries.map((d) => [d.body.meta.action, d.body.meta.change_source])).toEqual([
      ['create', 'api'],
      ['change', 'api'],
      ['change', 'app'],
      ['delete', 'api'],
    ]);
    expect(deliveries[1]!.body.previous).toEqual({ name: 'Ada', last_name: null });
    expect(deliveries[3]!.body.data).toBeNull();
    expect(deliveries[0]!.headers.authorization).toBe(`Basic ${btoa('u:p')}`);
    expect((await call('GET', '/v1/webhooks')).body.data).toHaveLength(1);
    expect((await call('DELETE', '/v1/webhooks/1')).body).toEqual({ success: true, status: 'ok' });
    expect((await call('DELETE', '/v1/webhooks/1')).status).toBe(404);
  });
});

describe('limits through the handler', () => {
  it('charges v2 half of v1 and answers the headers', async () => {
    const { pipedrive, call } = emulatorWithCaller({ rateLimit: undefined, dailyTokens: 100 });
    const v2 = await call('GET', '/api/v2/persons');
    expect(v2.headers.get('x-daily-ratelimit-token-remaining')).toBe('90');
    expect(v2.headers.get('x-ratelimit-limit')).toBe('20');
    await call('GET', '/v1/notes');
    expect(pipedrive.dailyTokensRemaining()).toBe(70);
    await call('POST', '/api/v2/persons', { name: 'A' });
    await call('GET', '/api/v2/persons/1');
    expect(pipedrive.dailyTokensRemaining()).toBe(64);
  });

  it('runs out of the daily budget, and gets it back the next day', async () => {
    const { pipedrive, call } = emulatorWithCaller({ rateLimit: undefined, dailyTokens: 20 });
    await call('GET', '/api/v2/persons');
    await call('GET', '/api/v2/persons');
    const out = await call('GET', '/api/v2/persons');
    expect(out.status).toBe(429);
    expect(out.headers.get('x-daily-ratelimit-token-remaining')).toBe('0');
    pipedrive.advanceToNextDay();
    expect((await call('GET', '/api/v2/persons')).status).toBe(200);
  });

  it('limits search to 10 per 2 s, and sends the edge page after repeated 429s', async () => {
    const { call } = emulatorWithCaller({ rateLimit: undefined, edgeBlockAfter: 2, burst: 100 });
    for (let i = 0; i < 10; i++)
      expect((await call('GET', '/api/v2/persons/search?term=ab')).status).toBe(200);
    expect((await call('GET', '/api/v2/persons/search?term=ab')).status).toBe(429);
    expect((await call('GET', '/api/v2/persons/search?term=ab')).status).toBe(429);
    const edge = await call('GET', '/api/v2/persons/search?term=ab');
    expect(edge.status).toBe(403);
    expect(edge.headers.get('content-type')).toMatch(/text\/html/);
    expect(edge.body).toContain('403 Forbidden');
  });
});
