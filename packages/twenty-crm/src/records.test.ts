import { startTwentyEmulator } from '@patchbay/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwentyClient } from './client.ts';

type Emulator = Awaited<ReturnType<typeof startTwentyEmulator>>;
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startTwentyEmulator({ port: 0, rateLimit: false });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.store.clear();
  emulator.counters.reset();
});

const client = () => createTwentyClient({ baseUrl: emulator.url, apiKey: emulator.apiKey, rateLimit: false });

describe('record resource', () => {
  it('refuses an id that would change the path, and a filter Twenty would misread, before any request', async () => {
    const get = await client().people.get('../companies');
    expect(get.success || get.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'id' });
    const pages = [];
    for await (const page of client().people.list({ filter: { externalId: { in: ['a,b'] } } }))
      pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.success || pages[0]?.error.field).toBe('filter.externalId');
    expect(emulator.counters.snapshot().total).toBe(0);
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
    expect(emulator.store.count('companies')).toBe(1);
  });

  it('createMany of nothing sends nothing; maxPages stops the iterator', async () => {
    const c = client();
    expect(await c.people.createMany([])).toEqual({ success: true, data: [] });
    await c.people.createMany(Array.from({ length: 12 }, (_, i) => ({ name: { firstName: `P${i}` } })));
    const pages = [];
    for await (const page of c.people.list({ pageSize: 5, maxPages: 2 })) pages.push(page);
    expect(pages).toHaveLength(2);
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
