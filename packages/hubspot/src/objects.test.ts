// The object calls (get, list, batches, archive) through a client, on the in-memory fake.
import { describe, expect, it } from 'vitest';
import { createFakeHubSpot, hubspotError } from '../test-support/fake-hubspot.ts';
import { createHubSpotClient, type HubSpotClientOptions } from './client.ts';

const TOKEN = 'pat-na1-test-token';
const BASE = 'https://api.hubapi.test';

function setup(options: Partial<HubSpotClientOptions> = {}) {
  const fake = createFakeHubSpot({ token: TOKEN });
  const client = createHubSpotClient({
    accessToken: TOKEN,
    baseUrl: BASE,
    fetch: fake.fetch,
    rateLimit: false,
    searchRateLimit: false,
    retry: { retries: 2, initialDelayMs: 1, maxDelayMs: 2 },
    ...options,
  });
  return { fake, client };
}

describe('objects', () => {
  it('gets a record by id with properties, and by a unique property', async () => {
    const { fake, client } = setup();
    fake.seed('contacts', 1, () => ({ email: 'ada@example.com', firstname: 'Ada' }));
    const byId = await client.contacts.get('1000', { properties: ['email', 'firstname'] });
    expect(byId.success && byId.data.properties.firstname).toBe('Ada');
    expect(new URL(fake.sent[0]!.url).searchParams.get('properties')).toBe('email,firstname');
    const byEmail = await client.contacts.get('ADA@example.com', { idProperty: 'email' });
    expect(byEmail.success && byEmail.data.id).toBe('1000');
  });

  it('answers NOT_FOUND for a missing record', async () => {
    const { client } = setup();
    const result = await client.companies.get('404404');
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('lists every page over paging.next.after', async () => {
    const { fake, client } = setup();
    fake.seed('companies', 250, (i) => ({ name: `Company ${i}` }));
    const pages: number[] = [];
    const afters: (string | undefined)[] = [];
    for await (const page of client.companies.list({ limit: 100, properties: ['name'] })) {
      expect(page.success).toBe(true);
      if (page.success) {
        pages.push(page.data.results.length);
        afters.push(page.data.after);
      }
    }
    expect(pages).toEqual([100, 100, 50]);
    expect(afters).toEqual(['100', '200', undefined]);
    expect(fake.sent.map((r) => new URL(r.url).searchParams.get('after'))).toEqual([null, '100', '200']);
  });

  it("reads a batch with a missing id as that input's OBJECT_NOT_FOUND, in the caller's order", async () => {
    const { fake, client } = setup();
    fake.seed('contacts', 2);
    const result = await client.contacts.batchRead(['1001', '999', '1000']);
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.outcomes.map((o) => (o.ok ? o.record.id : o.error.category))).toEqual([
      '1001',
      'OBJECT_NOT_FOUND',
      '1000',
    ]);
    expect(result.data.outcomes[1]).toMatchObject({
      ok: false,
      index: 1,
      error: { status: 404, retryable: false },
    });
    expect(result.data).toMatchObject({ succeeded: 2, failed: 1 });
  });

  it('reads a batch by a unique property', async () => {
    const { fake, client } = setup();
    fake.seed('contacts', 2, (i) => ({ email: `p${i}@example.com` }));
    const result = await client.contacts.batchRead(['P1@example.com', 'nobody@example.com'], {
      idProperty: 'email',
      properties: ['firstname'],
    });
    expect(result.success && result.data.outcomes.map((o) => o.ok)).toEqual([true, false]);
    expect(fake.sent[0]?.body).toMatchObject({ idProperty: 'email', properties: ['firstname', 'email'] });
  });

  it('creates a batch with a trace id per input and ties a 207 back to each input', async () => {
    const { fake, client } = setup();
    fake.seed('contacts', 1, () => ({ email: 'taken@example.com' }));
    const result = await client.contacts.batchCreate([
      { properties: { email: 'new1@example.com', firstname: 'One' } },
      { properties: { email: 'taken@example.com' } },
      { properties: { email: 'not-an-email' } },
      { properties: { email: 'new2@example.com', numemployees: 12 } },
    ]);
    const body = fake.sent[0]?.body as {
      inputs: { objectWriteTraceId: string; properties: Record<string, string> }[];
    };
    expect(body.inputs.every((input) => typeof input.objectWriteTraceId === 'string')).toBe(true);
    expect(new Set(body.inputs.map((input) => input.objectWriteTraceId)).size).toBe(4);
    expect(body.inputs[3]?.properties.numemployees).toBe('12');
    expect(result.success).toBe(true);
    if (!result.success) return;
    const [one, taken, invalid, two] = result.data.outcomes;
    expect(one).toMatchObject({ ok: true, index: 0, record: { properties: { email: 'new1@example.com' } } });
    expect(taken).toMatchObject({ ok: false, index: 1, error: { category: 'CONFLICT', status: 409 } });
    expect(taken?.ok === false && taken.error.message).toContain('Existing ID: 1000');
    expect(invalid).toMatchObject({
      ok: false,
      index: 2,
      error: { category: 'VALIDATION_ERROR', status: 400 },
    });
    expect(two).toMatchObject({ ok: true, index: 3, record: { properties: { email: 'new2@example.com' } } });
    expect(result.data).toMatchObject({ succeeded: 2, failed: 2 });
  });

  it('sends batches of at most 100 inputs', async () => {
    const { fake, client } = setup();
    const inputs = Array.from({ length: 250 }, (_, i) => ({ properties: { email: `c${i}@example.com` } }));
    const result = await client.contacts.batchCreate(inputs);
    expect(fake.sent.map((r) => (r.body as { inputs: unknown[] }).inputs.length)).toEqual([100, 100, 50]);
    expect(result.success && result.data.succeeded).toBe(250);
    expect(result.success && result.data.outcomes.every((o, i) => o.index === i)).toBe(true);
  });

  it('updates a batch, a missing id failing only itself', async () => {
    const { fake, client } = setup();
    fake.seed('deals', 1, () => ({ dealname: 'Old' }));
    const result = await client.deals.batchUpdate([
      { id: '1000', properties: { dealname: 'New', amount: 10 } },
      { id: '777', properties: { dealname: 'Ghost' } },
    ]);
    expect(result.success && result.data.outcomes.map((o) => o.ok)).toEqual([true, false]);
    expect(fake.records.get('deals')?.get('1000')?.properties.dealname).toBe('New');
  });

  it('upserts by a unique property, telling created from updated', async () => {
    const { fake, client } = setup();
    fake.seed('contacts', 1, () => ({ email: 'ada@example.com' }));
    const result = await client.contacts.batchUpsert(
      [
        { id: 'grace@example.com', properties: { firstname: 'Grace' } },
        { id: 'Ada@Example.com', properties: { firstname: 'Ada' } },
      ],
      { idProperty: 'email' },
    );
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.outcomes).toMatchObject([
      { ok: true, index: 0, created: true },
      { ok: true, index: 1, created: false, record: { id: '1000' } },
    ]);
    expect(fake.sent[0]?.body).toMatchObject({
      inputs: [
        {
          id: 'grace@example.com',
          idProperty: 'email',
          properties: { email: 'grace@example.com', firstname: 'Grace' },
        },
        {},
      ],
    });
  });

  it("reports an upsert by a non-unique property as each input's VALIDATION_ERROR", async () => {
    const { client } = setup();
    const result = await client.companies.batchUpsert([{ id: 'example.com', properties: { name: 'Ex' } }], {
      idProperty: 'domain',
    });
    expect(result.success).toBe(true);
    if (result.success) {
      expect(result.data.outcomes[0]).toMatchObject({
        ok: false,
        error: { category: 'VALIDATION_ERROR', status: 400 },
      });
      expect(result.data.outcomes[0]?.ok === false && result.data.outcomes[0].error.message).toContain(
        'non-unique',
      );
    }
  });

  it('requires idProperty for an upsert', async () => {
    const { client, fake } = setup();
    const result = await client.contacts.batchUpsert([{ id: 'a@b.c', properties: {} }], undefined as never);
    expect(result.success).toBe(false);
    if (!result.success)
      expect(result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'options.idProperty' });
    expect(fake.sent).toHaveLength(0);
  });

  it('archives one record and a batch', async () => {
    const { fake, client } = setup();
    fake.seed('tickets', 3);
    expect(await client.tickets.archive('1000')).toEqual({ success: true, data: undefined });
    const batch = await client.tickets.batchArchive(['1001', '1002']);
    expect(batch.success && batch.data.succeeded).toBe(2);
    expect(fake.records.get('tickets')?.size).toBe(0);
    expect(fake.sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      'DELETE /crm/objects/2026-03/tickets/1000',
      'POST /crm/objects/2026-03/tickets/batch/archive',
    ]);
  });

  it('reads custom objects by type id', async () => {
    const { fake, client } = setup();
    fake.seed('2-123456', 1, () => ({ pet_name: 'Rex' }));
    const pets = client.objects('2-123456');
    const pet = await pets.get('1000');
    expect(pet.success && pet.data.properties.pet_name).toBe('Rex');
    expect(fake.sent[0]?.path).toBe('/crm/objects/2026-03/2-123456/1000');
  });

  it('marks a chunk whose request failed and does not send the rest after an auth failure', async () => {
    const { fake, client } = setup();
    fake.script('/batch/update', () =>
      hubspotError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found.'),
    );
    const inputs = Array.from({ length: 150 }, (_, i) => ({ id: String(i), properties: { dealname: 'x' } }));
    const result = await client.deals.batchUpdate(inputs);
    expect(fake.sent).toHaveLength(1);
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.outcomes[0]).toMatchObject({
      ok: false,
      error: { category: 'AUTH_ERROR', status: 401, retryable: false },
    });
    expect(result.data.outcomes[149]).toMatchObject({
      ok: false,
      error: { category: 'NOT_SENT', retryable: true },
    });
  });

  it('reads an input HubSpot answered nothing for as NO_RESULT, never a success', async () => {
    const { fake, client } = setup();
    fake.script(
      '/batch/update',
      () =>
        new Response(JSON.stringify({ status: 'COMPLETE', results: [], startedAt: 'x', completedAt: 'y' }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    );
    const result = await client.deals.batchUpdate([{ id: '1', properties: {} }]);
    expect(result.success && result.data.outcomes[0]).toMatchObject({
      ok: false,
      error: { category: 'NO_RESULT' },
    });
  });

  it('answers INVALID_RESPONSE for a malformed body', async () => {
    const { fake, client } = setup();
    fake.script(
      '/contacts/1',
      () =>
        new Response(JSON.stringify({ id: 1, properties: [] }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    );
    const result = await client.contacts.get('1');
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.code).toBe('INVALID_RESPONSE');
  });
});
