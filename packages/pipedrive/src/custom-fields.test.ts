import { type ApiResult, err, type HttpClient, IntegrationError, ok } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createFakePipedrive, pipedriveError } from '../test-support/fake-pipedrive.ts';
import { createPipedriveClient } from './client.ts';
import {
  createCustomFields,
  decodeValue,
  encodeValue,
  type PipedriveFieldDefinition,
} from './custom-fields.ts';

const TOKEN = 'pipedrive-test-token';
const EXTERNAL = 'a'.repeat(40);

function setup() {
  const fake = createFakePipedrive({ token: TOKEN });
  const client = createPipedriveClient({
    apiToken: TOKEN,
    baseUrl: 'https://acme.pipedrive.test',
    fetch: fake.fetch,
    rateLimit: false,
    retry: false,
    customFields: {
      person: {
        externalId: EXTERNAL,
        tier: 'Tier',
        interests: 'interests',
        score: 'Score',
        renewal: 'Renewal',
        budget: 'Budget',
      },
    },
  });
  return { fake, client };
}

describe('custom fields by name', () => {
  it('round-trips values by the caller names: enum and set by label, numbers, dates, money', async () => {
    const { fake, client } = setup();
    const created = await client.persons.create({
      name: 'Ada',
      custom: {
        externalId: 'ext-1',
        tier: 'Gold',
        interests: ['CRM', 'Sync'],
        score: 4.5,
        renewal: '2026-12-31',
        budget: { value: 100, currency: 'EUR' },
      },
    });
    expect(created.success).toBe(true);
    const body = fake.sent.at(-1)?.body as { custom_fields: Record<string, unknown> };
    expect(body.custom_fields).toEqual({
      [EXTERNAL]: 'ext-1',
      ['b'.repeat(40)]: 11,
      ['c'.repeat(40)]: [21, 22],
      ['d'.repeat(40)]: 4.5,
      ['e'.repeat(40)]: '2026-12-31',
      ['f'.repeat(40)]: { value: 100, currency: 'EUR' },
    });
    if (!created.success) return;
    const read = await client.persons.get(created.data.id);
    expect(read.success && read.data.custom).toEqual({
      externalId: 'ext-1',
      tier: 'Gold',
      interests: ['CRM', 'Sync'],
      score: 4.5,
      renewal: '2026-12-31',
      budget: { value: 100, currency: 'EUR' },
    });
    // The definitions were read once, for the create, not again for the read.
    expect(fake.sent.filter((request) => request.path === '/api/v2/personFields')).toHaveLength(1);
  });

  it('refuses a wrong value by field and type before any write', async () => {
    const { fake, client } = setup();
    for (const [custom, field] of [
      [{ tier: 'Platinum' }, 'input.custom.tier'],
      [{ score: '4.5' }, 'input.custom.score'],
      [{ renewal: '31.12.2026' }, 'input.custom.renewal'],
      [{ interests: 'CRM' }, 'input.custom.interests'],
      [{ unknownName: 1 }, 'input.custom.unknownName'],
    ] as const) {
      const result = await client.persons.create({ name: 'Ada', custom: custom as never });
      expect(result.success || result.error).toMatchObject({ code: 'VALIDATION_ERROR', field });
    }
    expect(fake.sent.filter((request) => request.method === 'POST')).toEqual([]);
  });

  it('names a mapping that matches no field as CONFIG_ERROR, and retries the definitions after a failure', async () => {
    const fake = createFakePipedrive({ token: TOKEN });
    const client = createPipedriveClient({
      apiToken: TOKEN,
      baseUrl: 'https://acme.pipedrive.test',
      fetch: fake.fetch,
      rateLimit: false,
      retry: false,
      customFields: { person: { missing: 'No such field' } },
    });
    fake.script('/api/v2/personFields', () => pipedriveError(500, 'Internal'));
    fake.seed('persons', 1);
    const first = await client.persons.get(1);
    expect(first.success || first.error.code).toBe('SERVER_ERROR');
    const second = await client.persons.get(1);
    expect(second.success || second.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'customFields.person.missing',
    });
  });

  it('answers a read whose enum id is not among the options as INVALID_RESPONSE naming the field', async () => {
    const { fake, client } = setup();
    fake.seed('persons', 1, () => ({ custom_fields: { ['b'.repeat(40)]: 99 } }));
    const read = await client.persons.get(1);
    expect(read.success || read.error).toMatchObject({ code: 'INVALID_RESPONSE', field: 'custom.tier' });
  });
});

describe('encodeValue / decodeValue', () => {
  const field = (
    field_type: string,
    options?: { id: number; label: string }[],
  ): PipedriveFieldDefinition => ({
    field_code: 'x'.repeat(40),
    field_name: 'X',
    field_type,
    options: options ?? null,
  });
  it('checks each type', () => {
    expect(encodeValue(field('int'), 1.5).success).toBe(false);
    expect(encodeValue(field('varchar'), 'x'.repeat(256)).success).toBe(false);
    expect(encodeValue(field('user'), 7)).toEqual({ success: true, data: 7 });
    expect(encodeValue(field('boolean'), 'yes').success).toBe(false);
    expect(encodeValue(field('varchar'), null)).toEqual({ success: true, data: null });
    expect(decodeValue(field('set', [{ id: 1, label: 'A' }]), '1')).toEqual({ success: true, data: ['A'] });
    expect(decodeValue(field('double'), '2.5')).toEqual({ success: true, data: 2.5 });
  });
});

describe('createCustomFields: invalidate', () => {
  const definitions = (name: string) => [
    {
      field_code: 'd'.repeat(40),
      field_name: name,
      field_type: 'varchar',
      is_custom_field: true,
      options: null,
    },
  ];
  const contextOf = (pages: (() => Promise<ApiResult<unknown>>)[]) => {
    let reads = 0;
    const http = {
      get: () => {
        const page = pages[Math.min(reads, pages.length - 1)]!;
        reads++;
        return page();
      },
    } as unknown as HttpClient;
    return { context: { http, spend: () => ok(undefined) }, reads: () => reads };
  };

  it('reads the definitions once, and again after invalidate()', async () => {
    const { context, reads } = contextOf([async () => ok({ data: definitions('Ext') })]);
    const fields = createCustomFields(context, 'person', { ext: 'Ext' });
    expect(await fields.encode({ ext: 'a' }, 'input.custom')).toEqual(ok({ ['d'.repeat(40)]: 'a' }));
    await fields.encode({ ext: 'b' }, 'input.custom');
    expect(reads()).toBe(1);
    fields.invalidate();
    await fields.encode({ ext: 'c' }, 'input.custom');
    expect(reads()).toBe(2);
  });

  it('keeps a read started after invalidate() when an older read fails late', async () => {
    let failOld: (value: ApiResult<unknown>) => void = () => {};
    const { context, reads } = contextOf([
      () => new Promise((resolve) => (failOld = resolve)),
      async () => ok({ data: definitions('Ext') }),
    ]);
    const fields = createCustomFields(context, 'person', { ext: 'Ext' });
    const old = fields.encode({ ext: 'a' }, 'input.custom');
    await Promise.resolve();
    fields.invalidate();
    expect((await fields.encode({ ext: 'b' }, 'input.custom')).success).toBe(true);
    failOld(err(new IntegrationError('NETWORK_ERROR', 'gone', { retryable: true })));
    expect((await old).success).toBe(false);
    await fields.encode({ ext: 'c' }, 'input.custom');
    expect(reads()).toBe(2);
  });
});
