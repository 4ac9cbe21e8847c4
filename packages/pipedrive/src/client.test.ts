import { describe, expect, it } from 'vitest';
import { createFakePipedrive, jsonResponse, pipedriveError } from '../test-support/fake-pipedrive.ts';
import { createPipedriveClient, type PipedriveClientOptions } from './client.ts';

const TOKEN = 'pipedrive-test-token';
const BASE = 'https://acme.pipedrive.test';

function setup(options: Partial<PipedriveClientOptions> = {}) {
  const fake = createFakePipedrive({ token: TOKEN });
  const client = createPipedriveClient({
    apiToken: TOKEN,
    baseUrl: BASE,
    fetch: fake.fetch,
    rateLimit: false,
    searchRateLimit: false,
    retry: { retries: 2, initialDelayMs: 1, maxDelayMs: 1 },
    ...options,
  });
  return { fake, client };
}

async function all<T>(pages: AsyncIterable<{ success: boolean; data?: { items: T[] }; error?: unknown }>) {
  const items: T[] = [];
  for await (const page of pages) {
    if (!page.success) throw page.error;
    items.push(...page.data!.items);
  }
  return items;
}

describe('createPipedriveClient', () => {
  it('sends the API token as x-api-token to the company host on API v2', async () => {
    const fake = createFakePipedrive({ token: TOKEN });
    const client = createPipedriveClient({
      companyDomain: 'acme',
      apiToken: TOKEN,
      fetch: fake.fetch,
      rateLimit: false,
    });
    await client.persons.get(1);
    expect(fake.sent[0]?.url).toBe('https://acme.pipedrive.com/api/v2/persons/1');
    expect(fake.sent[0]?.headers.get('x-api-token')).toBe(TOKEN);
    expect(fake.sent[0]?.headers.get('authorization')).toBeNull();
  });

  it('refuses options by field: neither or both of companyDomain/baseUrl, apiToken/oauth, a bad domain', () => {
    expect(() => createPipedriveClient({ apiToken: TOKEN })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'baseUrl' }),
    );
    expect(() => createPipedriveClient({ companyDomain: 'acme' })).toThrow(
      expect.objectContaining({ field: 'apiToken' }),
    );
    expect(() => createPipedriveClient({ companyDomain: 'ac me/evil', apiToken: TOKEN })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
    expect(() =>
      createPipedriveClient({ baseUrl: BASE, apiToken: TOKEN, customFields: { widget: {} } as never }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });

  it('creates, reads, updates (PATCH) and deletes a person', async () => {
    const { fake, client } = setup();
    const created = await client.persons.create({
      name: 'Ada',
      emails: [{ value: 'ada@example.com', primary: true }],
    });
    expect(created.success).toBe(true);
    if (!created.success) return;
    expect(created.data).toMatchObject({ name: 'Ada', custom: {} });
    const updated = await client.persons.update(created.data.id, { name: 'Ada L.' });
    expect(updated.success && updated.data.name).toBe('Ada L.');
    expect(fake.sent.at(-1)?.method).toBe('PATCH');
    const read = await client.persons.get(created.data.id);
    expect(read.success && read.data.name).toBe('Ada L.');
    const deleted = await client.persons.delete(created.data.id);
    expect(deleted).toEqual({ success: true, data: { id: created.data.id } });
    const gone = await client.persons.get(created.data.id);
    expect(gone.success || gone.error).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(gone.success || gone.error.message).toContain('Person not found');
  });

  it('lists page by page over next_cursor, with limit and updated_since', async () => {
    const { fake, client } = setup();
    fake.seed('organizations', 25);
    const pages: number[] = [];
    for await (const page of client.organizations.list({ limit: 10 })) {
      expect(page.success).toBe(true);
      if (page.success) pages.push(page.data.items.length);
    }
    expect(pages).toEqual([10, 10, 5]);
    expect(new URL(fake.sent[1]!.url).searchParams.get('cursor')).toBeTruthy();
    const since = fake.tables.get('organizations')!.get('20')!.update_time as string;
    const recent = await all(client.organizations.list({ updated_since: since }));
    expect(recent.map((row) => row.id)).toEqual([20, 21, 22, 23, 24, 25]);
    expect(new URL(fake.sent.at(-1)!.url).searchParams.get('updated_since')).toBe(since);
  });

  it('refuses a limit over 500 and a non-RFC 3339 updated_since before any request', async () => {
    const { fake, client } = setup();
    for (const options of [{ limit: 501 }, { updated_since: 'yesterday' }]) {
      const pages = await (async () => {
        for await (const page of client.deals.list(options)) return page;
      })();
      expect(pages?.success || pages?.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    }
    expect(fake.sent).toEqual([]);
  });

  it('covers deals and activities, and searches persons on their own path', async () => {
    const { fake, client } = setup();
    const deal = await client.deals.create({ title: 'Big one', value: 1000, currency: 'EUR' });
    expect(deal.success && deal.data.title).toBe('Big one');
    const activity = await client.activities.create({ subject: 'Call', due_date: '2026-03-02', done: false });
    expect(activity.success && activity.data.subject).toBe('Call');
    await client.persons.create({ name: 'Grace Hopper' });
    let found: unknown[] = [];
    for await (const page of client.persons.search('grace', { fields: ['name'], exact_match: false })) {
      if (page.success) found = page.data.items;
    }
    expect(found).toHaveLength(1);
    expect(fake.sent.at(-1)?.path).toBe('/api/v2/persons/search');
  });

  it('uses v1 for notes (PUT) and leads (PATCH) with start/limit paging', async () => {
    const { fake, client } = setup();
    for (let i = 0; i < 3; i++) await client.notes.create({ content: `Note ${i}` });
    const pages: number[] = [];
    for await (const page of client.notes.list({ limit: 2 }))
      if (page.success) pages.push(page.data.items.length);
    expect(pages).toEqual([2, 1]);
    const note = await client.notes.update(1, { content: 'Changed' });
    expect(note.success && note.data.content).toBe('Changed');
    expect(fake.sent.at(-1)).toMatchObject({ method: 'PUT', path: '/v1/notes/1' });
    const lead = await client.leads.create({ title: 'Lead' });
    expect(lead.success).toBe(true);
    if (!lead.success) return;
    const patched = await client.leads.update(lead.data.id, { title: 'Warm lead' });
    expect(patched.success && patched.data.title).toBe('Warm lead');
    expect(fake.sent.at(-1)?.method).toBe('PATCH');
    expect((await client.leads.delete(lead.data.id)).success).toBe(true);
    expect((await client.leads.get('not-a-uuid')).success).toBe(false);
  });

  it('registers, lists and deletes webhooks (v2) without handing the password back', async () => {
    const { fake, client } = setup();
    const registered = await client.registerWebhook({
      subscription_url: 'https://example.com/hooks/pipedrive',
      event_action: '*',
      event_object: 'person',
      http_auth_user: 'hook',
      http_auth_password: 'hook-password-1',
    });
    expect(registered.success).toBe(true);
    expect(fake.sent.at(-1)?.body).toMatchObject({ version: '2.0', http_auth_password: 'hook-password-1' });
    expect(JSON.stringify(registered)).not.toContain('hook-password-1');
    const listed = await client.listWebhooks();
    expect(listed.success && listed.data).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain('hook-password-1');
    if (registered.success) expect((await client.deleteWebhook(registered.data.id)).success).toBe(true);
    const refused = await client.registerWebhook({
      subscription_url: 'http://plain',
      event_action: '*',
      event_object: 'person',
    });
    expect(refused.success || refused.error.field).toBe('input.subscription_url');
  });

  it('answers a malformed body as INVALID_RESPONSE', async () => {
    const { fake, client } = setup();
    fake.script('/api/v2/persons/1', () => jsonResponse(200, { success: true, data: { id: 'one' } }));
    const result = await client.persons.get(1);
    expect(result.success || result.error.code).toBe('INVALID_RESPONSE');
  });

  it('sends OAuth tokens as Bearer', async () => {
    const fake = createFakePipedrive({ token: TOKEN });
    const { ok, toSecret } = await import('@patchbay/core');
    const client = createPipedriveClient({
      baseUrl: BASE,
      oauth: { getAccessToken: async () => ok(toSecret(TOKEN)) },
      fetch: fake.fetch,
      rateLimit: false,
    });
    const result = await client.persons.create({ name: 'Ada' });
    expect(result.success).toBe(true);
    expect(fake.sent[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('does not resend a create after a 500, but does after a 429', async () => {
    const { fake, client } = setup();
    fake.script('POST /api/v2/persons', () => pipedriveError(500, 'Internal'));
    expect((await client.persons.create({ name: 'Ada' })).success).toBe(false);
    expect(fake.sent).toHaveLength(1);
    fake.script('POST /api/v2/persons', () => pipedriveError(429, 'Too many', { 'retry-after': '0' }));
    expect((await client.persons.create({ name: 'Ada' })).success).toBe(true);
    expect(fake.sent).toHaveLength(3);
  });
});
