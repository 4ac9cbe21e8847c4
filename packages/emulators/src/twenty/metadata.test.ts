import { describe, expect, it } from 'vitest';
import { createTwentyEmulator, type TwentyEmulatorOptions } from './emulator.ts';

function setup(options: TwentyEmulatorOptions = {}) {
  const twenty = createTwentyEmulator({ rateLimit: false, ...options });
  async function call(method: string, path: string, body?: unknown) {
    const reply = await twenty.handler(
      new Request(`${twenty.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${twenty.apiKey}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    if ('kind' in reply) throw new Error(`transport reply ${reply.kind}`);
    // biome-ignore lint/suspicious/noExplicitAny: wire bodies are inspected freely in assertions
    return { status: reply.status, body: (await reply.json()) as any };
  }
  const personId = twenty.store.schema.byPlural('people')!.id;
  return { twenty, call, personId };
}

describe('metadata objects', () => {
  it('lists objects with their fields in the current envelope', async () => {
    const { call } = setup();
    const answer = await call('GET', '/rest/metadata/objects?foo=bar');
    expect(answer.status).toBe(200);
    expect(answer.body.totalCount).toBe(2);
    expect(answer.body.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: answer.body.data[0].id,
      endCursor: answer.body.data[1].id,
    });
    const person = answer.body.data.find((o: { nameSingular: string }) => o.nameSingular === 'person');
    expect(person).toMatchObject({
      namePlural: 'people',
      labelSingular: 'Person',
      isCustom: false,
      isActive: true,
    });
    const emails = person.fields.find((f: { name: string }) => f.name === 'emails');
    expect(emails).toMatchObject({ type: 'EMAILS', isUnique: true, objectMetadataId: person.id });
  });

  it('serves the legacy envelopes on request', async () => {
    const { call, personId } = setup({ metadataFormat: 'legacy' });
    const list = await call('GET', '/rest/metadata/objects');
    expect(list.body.data.objects).toHaveLength(2);
    expect(list.body.totalCount).toBe(2);
    expect((await call('GET', `/rest/metadata/objects/${personId}`)).body.data.object.id).toBe(personId);
    const created = await call('POST', '/rest/metadata/fields', {
      objectMetadataId: personId,
      type: 'TEXT',
      name: 'legacyField',
      label: 'Legacy',
    });
    expect(created.body.data.createOneField).toMatchObject({ name: 'legacyField' });
  });

  it('answers one object, 404 for an unknown id and 400 for a malformed one', async () => {
    const { call, personId } = setup();
    expect((await call('GET', `/rest/metadata/objects/${personId.toUpperCase()}`)).body.id).toBe(personId);
    const missing = await call('GET', '/rest/metadata/objects/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.statusCode).toBe(404);
    expect((await call('GET', '/rest/metadata/objects/nope')).status).toBe(400);
  });

  it('pages by id cursors and validates them', async () => {
    const { call } = setup();
    const first = await call('GET', '/rest/metadata/fields?limit=2');
    expect(first.body.data).toHaveLength(2);
    expect(first.body.pageInfo.hasNextPage).toBe(true);
    const second = await call(
      'GET',
      `/rest/metadata/fields?limit=2&starting_after=${first.body.pageInfo.endCursor}`,
    );
    expect(second.body.data[0].id > first.body.data[1].id).toBe(true);
    expect(second.body.pageInfo.hasPreviousPage).toBe(true);
    const back = await call(
      'GET',
      `/rest/metadata/fields?limit=2&ending_before=${second.body.pageInfo.startCursor}`,
    );
    expect(back.body.data.map((f: { id: string }) => f.id)).toEqual(
      first.body.data.map((f: { id: string }) => f.id),
    );
    expect(second.body.totalCount).toBe(first.body.totalCount);
    expect((await call('GET', '/rest/metadata/fields?starting_after=not-a-uuid')).body.messages).toEqual([
      'Invalid cursor: not-a-uuid',
    ]);
    const both = await call(
      'GET',
      `/rest/metadata/fields?starting_after=${first.body.pageInfo.endCursor}&ending_before=${first.body.pageInfo.endCursor}`,
    );
    expect(both.status).toBe(400);
  });
});

describe('metadata fields', () => {
  it('creates a custom field (201) that records then carry', async () => {
    const { call, personId, twenty } = setup();
    const created = await call('POST', '/rest/metadata/fields', {
      objectMetadataId: personId,
      type: 'NUMBER',
      name: 'score',
      label: 'Score',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'score', type: 'NUMBER', isCustom: true, isUnique: false });
    const person = await call('POST', '/rest/people', { score: 3 });
    expect(person.body.data.createPerson.score).toBe(3);
    expect((await call('POST', '/rest/people', { score: 'high' })).status).toBe(400);
    expect((await call('GET', `/rest/metadata/fields/${created.body.id}`)).body.name).toBe('score');
    expect(twenty.store.schema.byPlural('people')!.fieldsByName.has('score')).toBe(true);
  });

  it('refuses a taken name, a missing property and an unknown object', async () => {
    const { call, personId } = setup();
    const taken = await call('POST', '/rest/metadata/fields', {
      objectMetadataId: personId,
      type: 'TEXT',
      name: 'city',
      label: 'City',
    });
    expect(taken.status).toBe(400);
    expect(taken.body.messages).toEqual([
      'Name "city" is not available, check that it is not duplicating another field\'s name.',
    ]);
    expect((await call('POST', '/rest/metadata/fields', { name: '' })).status).toBe(400);
    const unknown = await call('POST', '/rest/metadata/fields', {
      objectMetadataId: '00000000-0000-4000-8000-000000000000',
      type: 'TEXT',
      name: 'x',
      label: 'X',
    });
    expect(unknown.status).toBe(400);
  });

  it('renames and deletes custom fields, not standard ones', async () => {
    const { call, personId, twenty } = setup();
    const created = await call('POST', '/rest/metadata/fields', {
      objectMetadataId: personId,
      type: 'TEXT',
      name: 'temp',
      label: 'Temp',
    });
    const renamed = await call('PATCH', `/rest/metadata/fields/${created.body.id}`, { label: 'Renamed' });
    expect(renamed.body.label).toBe('Renamed');
    const city = twenty.store.schema.byPlural('people')!.fieldsByName.get('city')!;
    expect((await call('DELETE', `/rest/metadata/fields/${city.id}`)).status).toBe(400);
    expect((await call('DELETE', `/rest/metadata/fields/${created.body.id}`)).body.id).toBe(created.body.id);
    expect((await call('GET', `/rest/metadata/fields/${created.body.id}`)).status).toBe(404);
  });

  it('says which metadata routes it does not emulate', async () => {
    const { call } = setup();
    expect((await call('POST', '/rest/metadata/objects', {})).status).toBe(501);
    expect((await call('GET', '/rest/metadata/views')).status).toBe(400);
  });
});
