// Wire contract of HubSpot's CRM API, with plain fetch. Runs against the emulator, or against a live account when
// HUBSPOT_TOKEN is set (a private app token; HUBSPOT_BASE_URL defaults to https://api.hubapi.com). Live, the
// emulator-only checks are skipped, search checks wait for the index (search lags writes), and every record the suite
// created is archived at the end. Needs scopes crm.objects.contacts.* and crm.objects.companies.*.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHubSpotEmulator } from './emulator.ts';

const LIVE_TOKEN = process.env.HUBSPOT_TOKEN;
const LIVE = Boolean(LIVE_TOKEN);
const emulatorOnly = it.skipIf(LIVE);
if (LIVE) vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let base = '';
let token = '';
let close: (() => Promise<void>) | undefined;
const created: Record<'contacts' | 'companies', string[]> = { contacts: [], companies: [] };
// Unique per run, so a live account's data never collides with the suite's.
const tag = `pb${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
const email = (n: number | string) => `${tag}-${n}@contract.example.com`;
const OBJECTS = '/crm/objects/2026-03';

interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: wire bodies are inspected freely in assertions
  body: any;
}

async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { Authorization: `Bearer ${token}` },
): Promise<Answer> {
  const send = () =>
    fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  let response = await send();
  // A live account allows 100 requests per 10 s (search 5 per second): wait out its 429s.
  for (let attempt = 0; LIVE && response.status === 429 && attempt < 5; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 2000 * (attempt + 1)));
    response = await send();
  }
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Retries a search until `ready` holds (live search lags writes by seconds); once against the emulator. */
async function eventually(run: () => Promise<Answer>, ready: (answer: Answer) => boolean): Promise<Answer> {
  let answer = await run();
  for (let attempt = 0; LIVE && !ready(answer) && attempt < 15; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    answer = await run();
  }
  return answer;
}

function remember(type: 'contacts' | 'companies', results: { id: string }[] | { id: string }): void {
  for (const record of Array.isArray(results) ? results : [results]) created[type].push(record.id);
}

beforeAll(async () => {
  if (LIVE) {
    base = (process.env.HUBSPOT_BASE_URL ?? 'https://api.hubapi.com').replace(/\/+$/, '');
    token = LIVE_TOKEN!;
    return;
  }
  // The suite sends more than 100 requests in 10 s: a wide limit keeps the headers, the limits get their own test.
  const hubspot = await startHubSpotEmulator({ rateLimit: { max: 100_000 }, searchPerSecond: false });
  base = hubspot.url;
  token = hubspot.token;
  close = hubspot.close;
});

afterAll(async () => {
  if (LIVE) {
    for (const type of ['contacts', 'companies'] as const) {
      for (let i = 0; i < created[type].length; i += 100) {
        const inputs = created[type].slice(i, i + 100).map((id) => ({ id }));
        await api('POST', `${OBJECTS}/${type}/batch/archive`, { inputs });
      }
    }
  }
  await close?.();
});

describe('authentication', () => {
  it('answers 401 INVALID_AUTHENTICATION without a token and with a wrong one', async () => {
    const variants: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer pat-na1-00000000-0000-0000-0000-000000000000' },
    ];
    for (const headers of variants) {
      const answer = await api('GET', `${OBJECTS}/contacts?limit=1`, undefined, headers);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
      expect(typeof answer.body.correlationId).toBe('string');
    }
  });
});

describe('single records', () => {
  it('creates (201), reads, updates and archives (204) a contact, on dated and v3 paths', async () => {
    const answer = await api('POST', `${OBJECTS}/contacts`, {
      properties: { email: email('crud').toUpperCase(), firstname: 'Ada' },
    });
    expect(answer.status).toBe(201);
    remember('contacts', answer.body);
    expect(answer.body).toMatchObject({
      archived: false,
      properties: { email: email('crud'), firstname: 'Ada' },
    });
    expect(answer.body.id).toMatch(/^\d+$/);
    expect(answer.body.properties.hs_object_id).toBe(answer.body.id);
    const id = answer.body.id;

    const read = await api('GET', `/crm/v3/objects/contacts/${id}`);
    expect(read.status).toBe(200);
    expect(Object.keys(read.body.properties)).toEqual(
      expect.arrayContaining([
        'createdate',
        'email',
        'firstname',
        'hs_object_id',
        'lastmodifieddate',
        'lastname',
      ]),
    );
    expect(read.headers.get('x-hubspot-ratelimit-max')).toMatch(/^\d+$/);
    expect(read.headers.get('x-hubspot-ratelimit-remaining')).toMatch(/^\d+$/);

    const byEmail = await api(
      'GET',
      `${OBJECTS}/contacts/${encodeURIComponent(email('crud'))}?idProperty=email`,
    );
    expect(byEmail.body.id).toBe(id);

    const updated = await api('PATCH', `${OBJECTS}/contacts/${id}`, { properties: { lastname: 'Lovelace' } });
    expect(updated.status).toBe(200);
    expect(updated.body.properties.lastname).toBe('Lovelace');

    expect((await api('DELETE', `${OBJECTS}/contacts/${id}`)).status).toBe(204);
    expect((await api('GET', `${OBJECTS}/contacts/${id}`)).status).toBe(404);
  });

  it('refuses a taken e-mail with 409 CONFLICT naming the existing id', async () => {
    const first = await api('POST', `${OBJECTS}/contacts`, { properties: { email: email('dup') } });
    remember('contacts', first.body);
    const again = await api('POST', `${OBJECTS}/contacts`, { properties: { email: email('dup') } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      status: 'error',
      category: 'CONFLICT',
      message: `Contact already exists. Existing ID: ${first.body.id}`,
    });
  });

  it('refuses an unknown property and a malformed e-mail with 400 VALIDATION_ERROR', async () => {
    const unknown = await api('POST', `${OBJECTS}/contacts`, { properties: { [`${tag}_nope`]: 'x' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.category).toBe('VALIDATION_ERROR');
    expect(unknown.body.message).toContain('PROPERTY_DOESNT_EXIST');
    const bad = await api('POST', `${OBJECTS}/contacts`, { properties: { email: 'not an email' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('INVALID_EMAIL');
  });

  it('lists with limit and after', async () => {
    const first = await api('GET', `${OBJECTS}/companies?limit=1`);
    expect(first.status).toBe(200);
    expect(Array.isArray(first.body.results)).toBe(true);
    if (first.body.paging) {
      const next = await api('GET', `${OBJECTS}/companies?limit=1&after=${first.body.paging.next.after}`);
      expect(next.status).toBe(200);
      expect(next.body.results[0]?.id).not.toBe(first.body.results[0]?.id);
    }
  });
});

describe('batches', () => {
  it('creates a batch (201) in the envelope', async () => {
    const answer = await api('POST', `${OBJECTS}/contacts/batch/create`, {
      inputs: [{ properties: { email: email('b1') } }, { properties: { email: email('b2') } }],
    });
    expect(answer.status).toBe(201);
    remember('contacts', answer.body.results);
    expect(answer.body).toMatchObject({ status: 'COMPLETE' });
    expect(answer.body.results).toHaveLength(2);
    expect(typeof answer.body.startedAt).toBe('string');
  });

  it('fails a whole batch create on one bad input without objectWriteTraceIds', async () => {
    const answer = await api('POST', `${OBJECTS}/contacts/batch/create`, {
      inputs: [{ properties: { email: email('whole-ok') } }, { properties: { [`${tag}_nope`]: 'x' } }],
    });
    expect(answer.status).toBe(400);
    const check = await api('POST', `${OBJECTS}/contacts/batch/read`, {
      idProperty: 'email',
      inputs: [{ id: email('whole-ok') }],
      properties: ['email'],
    });
    expect(check.body.results ?? []).toHaveLength(0);
  });

  it('answers 207 with per-input errors when every input has an objectWriteTraceId', async () => {
    const answer = await api('POST', `${OBJECTS}/contacts/batch/create`, {
      inputs: [
        { objectWriteTraceId: `${tag}-1`, properties: { email: email('trace-ok') } },
        { objectWriteTraceId: `${tag}-2`, properties: { [`${tag}_nope`]: 'x' } },
      ],
    });
    expect(answer.status).toBe(207);
    remember('contacts', answer.body.results);
    expect(answer.body.numErrors).toBe(1);
    expect(answer.body.results).toHaveLength(1);
    expect(answer.body.errors[0]).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  });

  it('reads by e-mail, 207 for the missing ones', async () => {
    const made = await api('POST', `${OBJECTS}/contacts`, { properties: { email: email('read') } });
    remember('contacts', made.body);
    const answer = await api('POST', `${OBJECTS}/contacts/batch/read`, {
      idProperty: 'email',
      inputs: [{ id: email('read') }, { id: email('missing') }],
      properties: ['email'],
    });
    expect(answer.status).toBe(207);
    expect(answer.body.results.map((r: { id: string }) => r.id)).toEqual([made.body.id]);
    expect(answer.body.errors[0]).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    expect(answer.body.errors[0].context.ids).toEqual([email('missing')]);
  });

  it('upserts by e-mail, telling new from updated', async () => {
    const made = await api('POST', `${OBJECTS}/contacts`, { properties: { email: email('up-old') } });
    remember('contacts', made.body);
    const answer = await api('POST', `${OBJECTS}/contacts/batch/upsert`, {
      inputs: [
        { id: email('up-old'), idProperty: 'email', properties: { firstname: 'Old' } },
        { id: email('up-new'), idProperty: 'email', properties: { firstname: 'New' } },
      ],
    });
    expect(answer.status).toBe(200);
    remember(
      'contacts',
      answer.body.results.filter((r: { new: boolean }) => r.new),
    );
    const byId = new Map(answer.body.results.map((r: { id: string; new: boolean }) => [r.id, r.new]));
    expect(byId.get(made.body.id)).toBe(false);
    expect([...byId.values()].filter((isNew) => isNew)).toHaveLength(1);
  });

  it('refuses an upsert by a company domain (not unique)', async () => {
    const answer = await api('POST', `${OBJECTS}/companies/batch/upsert`, {
      inputs: [{ id: `${tag}.example.com`, idProperty: 'domain', properties: { name: tag } }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.category).toBe('VALIDATION_ERROR');
    expect(answer.body.message).toMatch(/non-unique 0-2 property domain/);
  });

  it('updates by id, 207 for unknown ids', async () => {
    const made = await api('POST', `${OBJECTS}/contacts`, { properties: { email: email('upd') } });
    remember('contacts', made.body);
    const answer = await api('POST', `${OBJECTS}/contacts/batch/update`, {
      inputs: [
        { id: made.body.id, properties: { firstname: 'Upd' } },
        { id: '1', properties: { firstname: 'Nobody' } },
      ],
    });
    expect(answer.status).toBe(207);
    expect(answer.body.results[0].properties.firstname).toBe('Upd');
    expect(answer.body.errors[0].category).toBe('OBJECT_NOT_FOUND');
  });

  it('refuses more than 100 inputs', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({
      id: email(`many-${i}`),
      idProperty: 'email',
      properties: {},
    }));
    const answer = await api('POST', `${OBJECTS}/contacts/batch/upsert`, { inputs });
    expect(answer.status).toBe(400);
    expect(answer.body.category).toBe('VALIDATION_ERROR');
  });
});

describe('search', () => {
  it('finds by filter, with total and paging', async () => {
    const made = await api('POST', `${OBJECTS}/contacts/batch/create`, {
      inputs: [0, 1, 2].map((i) => ({ properties: { email: email(`s${i}`), lastname: tag } })),
    });
    remember('contacts', made.body.results);
    const run = () =>
      api('POST', `${OBJECTS}/contacts/search`, {
        filterGroups: [{ filters: [{ propertyName: 'lastname', operator: 'EQ', value: tag }] }],
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
        properties: ['email'],
        limit: 2,
      });
    const answer = await eventually(run, (a) => a.body?.total === 3);
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBe(3);
    expect(answer.body.results).toHaveLength(2);
    expect(answer.body.paging.next.after).toBe('2');
  });

  it('refuses a limit over 200 and more than 5 filter groups', async () => {
    expect((await api('POST', `${OBJECTS}/contacts/search`, { limit: 201 })).status).toBe(400);
    const filter = { propertyName: 'email', operator: 'HAS_PROPERTY' };
    const groups = Array.from({ length: 6 }, () => ({ filters: [filter] }));
    expect((await api('POST', `${OBJECTS}/contacts/search`, { filterGroups: groups })).status).toBe(400);
  });

  emulatorOnly('answers 400 past 10 000 results', async () => {
    const answer = await api('POST', `${OBJECTS}/contacts/search`, { after: '10000' });
    expect(answer.status).toBe(400);
    expect(answer.body.category).toBe('VALIDATION_ERROR');
  });
});

describe('associations', () => {
  it('creates a contact → company association in a v4 batch and reads it with a numeric toObjectId', async () => {
    const company = await api('POST', `${OBJECTS}/companies`, { properties: { name: `${tag} Inc` } });
    remember('companies', company.body);
    const contact = await api('POST', `${OBJECTS}/contacts`, { properties: { email: email('assoc') } });
    remember('contacts', contact.body);
    const made = await api('POST', '/crm/v4/associations/contacts/companies/batch/create', {
      inputs: [
        {
          from: { id: contact.body.id },
          to: { id: company.body.id },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }],
        },
      ],
    });
    expect(made.status).toBe(201);
    const read = await api('POST', '/crm/associations/2026-03/contacts/companies/batch/read', {
      inputs: [{ id: contact.body.id }],
    });
    expect(read.status).toBe(200);
    const to = read.body.results[0].to[0];
    expect(to.toObjectId).toBe(Number(company.body.id));
    expect(to.associationTypes).toContainEqual(
      expect.objectContaining({ category: 'HUBSPOT_DEFINED', typeId: 279 }),
    );
  });

  it('creates the default association with PUT', async () => {
    const company = await api('POST', `${OBJECTS}/companies`, { properties: { name: `${tag} Default` } });
    remember('companies', company.body);
    const contact = await api('POST', `${OBJECTS}/contacts`, { properties: { email: email('default') } });
    remember('contacts', contact.body);
    const answer = await api(
      'PUT',
      `/crm/v4/objects/contacts/${contact.body.id}/associations/default/companies/${company.body.id}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('COMPLETE');
    expect(answer.body.results[0]).toMatchObject({
      associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 },
    });
  });
});

describe('rate limits', () => {
  emulatorOnly(
    'answers TEN_SECONDLY_ROLLING 429s with the headers, and search its secondly 429',
    async () => {
      const limited = await startHubSpotEmulator({ rateLimit: { max: 2 }, searchPerSecond: 1 });
      try {
        const call = (path: string, method = 'GET') =>
          fetch(`${limited.url}${path}`, {
            method,
            headers: { Authorization: `Bearer ${limited.token}`, 'Content-Type': 'application/json' },
            body: method === 'POST' ? '{}' : undefined,
          });
        expect((await call(`${OBJECTS}/contacts/search`, 'POST')).status).toBe(200);
        const search = await call(`${OBJECTS}/contacts/search`, 'POST');
        expect(search.status).toBe(429);
        expect(await search.json()).toMatchObject({ message: 'You have reached your secondly limit.' });
        expect((await call(`${OBJECTS}/contacts`)).status).toBe(200);
        const denied = await call(`${OBJECTS}/contacts`);
        expect(denied.status).toBe(429);
        expect(denied.headers.get('x-hubspot-ratelimit-max')).toBe('2');
        expect(denied.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
        expect(await denied.json()).toMatchObject({
          status: 'error',
          errorType: 'RATE_LIMIT',
          policyName: 'TEN_SECONDLY_ROLLING',
        });
      } finally {
        await limited.close();
      }
    },
  );
});
