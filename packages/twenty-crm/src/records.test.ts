import { describe, expect, it } from 'vitest';
import { capturingClient, useEmulator } from '../test-support/fixtures.ts';
import { createTwentyClient } from './client.ts';

const twenty = useEmulator();

const client = () =>
  createTwentyClient({ baseUrl: twenty.emulator.url, apiKey: twenty.emulator.apiKey, rateLimit: false });

describe('record resource', () => {
  it('refuses an id that would change the path, and a filter Twenty would misread, before any request', async () => {
    const get = await client().people.get('../companies');
    expect(get.success || get.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'id' });
    const pages = [];
    for await (const page of client().people.list({ filter: { externalId: { in: ['a,b'] } } }))
      pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.success || pages[0]?.error.field).toBe('filter.externalId');
    expect(twenty.emulator.counters.snapshot().total).toBe(0);
  });

  it('upsert creates, then updates the record matched on a unique field', async () => {
    const c = client();
    const first = await c.companies.upsert({
      name: 'Acme',
      domainName: { primaryLinkUrl: 'https://acme.test' },
    });
    const second = await c.companies.upsert({
      name: 'Acme Inc',
      domainName: { primaryLinkUrl: 'https://acme.test' },
    });
    expect(first.success && second.success && first.data.id === second.data.id).toBe(true);
    expect(twenty.emulator.store.count('companies')).toBe(1);
  });

  it('createMany of nothing sends nothing; maxPages bounds the iterator with a typed error', async () => {
    const c = client();
    expect(await c.people.createMany([])).toEqual({ success: true, data: [] });
    await c.people.createMany(Array.from({ length: 12 }, (_, i) => ({ name: { firstName: `P${i}` } })));
    const pages = [];
    for await (const page of c.people.list({ pageSize: 5, maxPages: 2 })) pages.push(page);
    expect(pages).toHaveLength(3);
    expect(pages.slice(0, 2).map((page) => page.success && page.data.length)).toEqual([5, 5]);
    expect(pages[2]?.success || pages[2]?.error).toMatchObject({
      code: 'OPERATION_FAILED',
      field: 'maxPages',
    });
    // Three pages are enough: the bound is not reached, every record comes back.
    const all = await c.people.listAll({ pageSize: 5, maxPages: 3 });
    expect(all.success && all.data.length).toBe(12);
  });

  it('depth 1 expands the company of a person', async () => {
    const c = client();
    const company = await c.companies.create({ name: 'Acme' });
    if (!company.success) throw company.error;
    const person = await c.people.create({ name: { firstName: 'Ada' }, companyId: company.data.id });
    if (!person.success) throw person.error;
    const read = await c.people.get(person.data.id, { depth: 1 });
    expect(read.success && (read.data.company as { name?: string } | undefined)?.name).toBe('Acme');
  });
});

describe('record ids', () => {
  // Every value a JavaScript caller could pass as an id: each is refused before any request, or sent encoded
  // to exactly the record's route, never to another one.
  const HOSTILE_IDS: [string, unknown][] = [
    ['dot', '.'],
    ['dot dot', '..'],
    ['encoded dot dot', '%2e%2e'],
    ['traversal', '../companies'],
    ['slash', 'a/b'],
    ['backslash', 'a\\b'],
    ['query', '?limit=1'],
    ['fragment', '#x'],
    ['percent', '%'],
    ['encoded slash', 'a%2Fb'],
    ['empty', ''],
    ['blank', ' '],
    ['whitespace around', ' 7f3e1c2a '],
    ['newline', 'a\nb'],
    ['NUL', 'a\u0000b'],
    ['lone surrogate', '\ud800'],
    ['very long', 'x'.repeat(100_000)],
    ['number', 42],
    ['null', null],
    ['undefined', undefined],
    ['object', { id: 'x' }],
    ['object without prototype', Object.create(null)],
    ['array', ['a', 'b']],
    ['symbol', Symbol('id')],
    ['bigint', 1n],
    ['inner space', 'a b'],
    ['non-ASCII', 'é'],
    ['semicolon', 'a;b'],
  ];

  const calls = {
    get: (resource: ReturnType<typeof createTwentyClient>['people'], id: unknown) =>
      resource.get(id as string),
    update: (resource: ReturnType<typeof createTwentyClient>['people'], id: unknown) =>
      resource.update(id as string, { city: 'Paris' }),
    delete: (resource: ReturnType<typeof createTwentyClient>['people'], id: unknown) =>
      resource.delete(id as string),
  };
  const METHODS = { get: 'GET', update: 'PATCH', delete: 'DELETE' } as const;

  for (const object of ['people', 'companies'] as const) {
    for (const call of ['get', 'update', 'delete'] as const) {
      it.each(HOSTILE_IDS)(
        `${object}.${call}: %s is refused or sent encoded to its own route`,
        async (_, id) => {
          const { client: c, sent } = capturingClient();
          const result = await calls[call](c[object] as ReturnType<typeof createTwentyClient>['people'], id);
          expect(result.success).toBe(false);
          if (result.success) return;
          if (sent.length === 0) {
            expect(result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'id' });
            return;
          }
          // Sent: exactly one request, to /rest/<object>/<the id, encoded>, answered 404 by the spy.
          expect(result.error.code).toBe('NOT_FOUND');
          expect(sent).toHaveLength(1);
          const url = new URL(sent[0]!.url);
          expect(sent[0]!.method).toBe(METHODS[call]);
          expect(url.search).toBe('');
          const segments = url.pathname.split('/');
          expect(segments.slice(0, 3)).toEqual(['', 'rest', object]);
          expect(segments).toHaveLength(4);
          expect(decodeURIComponent(segments[3]!)).toBe(id);
        },
      );
    }
  }

  it('refuses the dot segments, slashes and non-strings, and encodes the rest', async () => {
    const { client: c, sent } = capturingClient();
    for (const id of ['.', '..', '%2E%2E', 'a/b', '', 42, null])
      expect(await c.people.delete(id as string)).toMatchObject({
        success: false,
        error: { code: 'VALIDATION_ERROR', field: 'id' },
      });
    expect(sent).toEqual([]);
    await c.people.get('a?b#c%d');
    expect(sent.map((s) => s.url)).toEqual(['https://crm.example.test/rest/people/a%3Fb%23c%25d']);
  });
});
