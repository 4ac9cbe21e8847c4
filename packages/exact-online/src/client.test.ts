import { createMemoryFailureWindowStore, ok, toSecret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { BASE, createFakeExact, json, odataError } from '../test-support/fake-exact.ts';
import { createExactClient, type ExactClientOptions } from './client.ts';
import { exactFilter as f } from './filter.ts';

function setup(options: Partial<ExactClientOptions> = {}, fakeOptions = {}) {
  const fake = createFakeExact({ accessToken: 'access-0', ...fakeOptions });
  const client = createExactClient({
    oauth: { getAccessToken: async () => ok(toSecret(fake.accessToken)) },
    fetch: fake.fetch,
    rateLimit: false,
    retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 1 },
    ...options,
  });
  return { fake, client };
}

async function all<T>(pages: AsyncIterable<{ success: boolean; data?: T[]; error?: unknown }>) {
  const items: T[] = [];
  for await (const page of pages) {
    if (!page.success)
      return { items, error: page.error as { code: string; message: string; field?: string } };
    items.push(...(page.data ?? []));
  }
  return { items, error: undefined };
}

describe('createExactClient', () => {
  it('reads the current division once, then every account page following __next', async () => {
    const { fake, client } = setup();
    expect(client.baseUrl).toBe(BASE);
    expect(client.region).toBe('nl');
    const { items, error } = await all(client.accounts.list());
    expect(error).toBeUndefined();
    expect(items).toHaveLength(130);
    expect(items[0]).toMatchObject({
      ID: '00000000-0000-4000-8000-000000000001',
      Code: '1',
      Name: 'Account 1',
      Created: '2026-01-15T09:00:00.000Z',
      Modified: '2026-07-15T08:00:00.000Z',
    });
    const paths = fake.apiRequests().map((request) => request.url.pathname);
    expect(paths).toEqual([
      '/api/v1/current/Me',
      '/api/v1/123456/crm/Accounts',
      '/api/v1/123456/crm/Accounts',
      '/api/v1/123456/crm/Accounts',
    ]);
    expect(fake.apiRequests()[0]?.url.searchParams.get('$select')).toBe('CurrentDivision');
    expect(fake.apiRequests()[1]?.url.searchParams.get('$select')).toContain('ID,Code,Name');
    expect(fake.apiRequests()[2]?.url.searchParams.get('$skiptoken')).toBe(
      "guid'00000000-0000-4000-8000-00000000003c'",
    );
    expect(fake.apiRequests().map((request) => request.accept)).toEqual(
      fake.apiRequests().map(() => 'application/json'),
    );
    await all(client.contacts.list());
    expect(
      fake.apiRequests().filter((request) => request.url.pathname === '/api/v1/current/Me'),
    ).toHaveLength(1);
    expect(await client.division()).toEqual({ success: true, data: 123456 });
  });

  it('sends Accept: application/json and the headers of the options on every call', async () => {
    const seen: (string | null)[][] = [];
    const { client } = setup({
      division: 1,
      headers: { 'x-trace': 't-1' },
      fetch: async (input, init) => {
        const request = input instanceof Request ? input : new Request(input, init);
        seen.push([request.headers.get('accept'), request.headers.get('x-trace')]);
        return json({ d: { results: [] } });
      },
    });
    await all(client.accounts.list());
    expect(seen).toEqual([['application/json', 't-1']]);
  });

  it('uses the division given, and another one with inDivision', async () => {
    const { fake, client } = setup({ division: 42 });
    await all(client.accounts.list({ select: ['ID', 'Name'], top: 5 }));
    const other = await all(client.inDivision(7).accounts.list({ top: 1 }));
    expect(other.items[0]?.Division).toBe(7);
    expect(fake.apiRequests().map((request) => request.url.pathname)).toEqual([
      '/api/v1/42/crm/Accounts',
      '/api/v1/7/crm/Accounts',
    ]);
    expect(fake.apiRequests()[0]?.url.searchParams.get('$top')).toBe('5');
    const bad = await all(client.inDivision(-1).accounts.list());
    expect(bad.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'division' });
  });

  it('sends the filter built, with its literals escaped', async () => {
    const { fake, client } = setup({ division: 1 });
    await all(
      client.accounts.list({
        filter: f.and(f.eq('Name', "O'Brien"), f.gt('Modified', new Date('2026-01-01T00:00:00Z'))),
        orderBy: { field: 'Name', direction: 'desc' },
      }),
    );
    const url = fake.apiRequests()[0]?.url;
    expect(url?.searchParams.get('$filter')).toBe(
      "(Name eq 'O''Brien') and (Modified gt datetime'2026-01-01T01:00:00.000')",
    );
    expect(url?.searchParams.get('$orderby')).toBe('Name desc');
  });

  it('refuses bad list options before any request', async () => {
    const { fake, client } = setup({ division: 1 });
    for (const [options, field] of [
      [{ select: ['*'] }, 'options.select'],
      [{ select: [] }, 'options.select'],
      [{ select: 'ID' }, 'options.select'],
      [{ filter: "Name eq 'x'" }, 'options.filter'],
      [{ filter: f.eq('ID', f.guid('nope')) }, 'options.filter'],
      [{ top: 0 }, 'options.top'],
      [{ orderBy: { field: 'Name; drop' } }, 'options.orderBy.field'],
      [{ orderBy: { field: 'Name', direction: 'up' } }, 'options.orderBy.direction'],
      [{ signal: 'x' }, 'options.signal'],
      ['nope', 'options'],
    ] as const) {
      const { error } = await all(client.accounts.list(options as never));
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR', field });
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a bad sync checkpoint before any request', async () => {
    const { fake, client } = setup({ division: 1 });
    for (const since of ['1.5', '-', '9223372036854775808', 12 as never, '1L or 1 eq 1']) {
      const { error } = await all(client.accounts.sync({ since }) as never);
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'options.since' });
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('reads sync pages with Timestamp selected and filtered, carrying the checkpoint', async () => {
    const { fake, client } = setup({ division: 1 });
    fake.script('/sync/CRM/Accounts', () =>
      json({
        d: {
          results: [
            { ID: fake.guidOf(1), Timestamp: '9007199254740993' },
            { ID: fake.guidOf(2), Timestamp: '9007199254740995' },
          ],
        },
      }),
    );
    const pages = [];
    for await (const page of client.accounts.sync({ since: 9007199254740990n, select: ['ID'] }))
      pages.push(page);
    expect(pages).toEqual([
      {
        success: true,
        data: {
          items: [
            { ID: fake.guidOf(1), Timestamp: '9007199254740993' },
            { ID: fake.guidOf(2), Timestamp: '9007199254740995' },
          ],
          timestamp: '9007199254740995',
        },
      },
    ]);
    const url = fake.apiRequests()[0]?.url;
    expect(url?.pathname).toBe('/api/v1/1/sync/CRM/Accounts');
    expect(url?.searchParams.get('$select')).toBe('ID,Timestamp');
    expect(url?.searchParams.get('$filter')).toBe('Timestamp gt 9007199254740990L');
  });

  it('reads bulk pages of 1 000 with $select', async () => {
    const { fake, client } = setup({ division: 1 }, { accounts: 1_500 });
    const { items } = await all(client.accounts.bulk({ select: ['ID', 'Code', 'Timestamp'] }));
    expect(items).toHaveLength(1_500);
    expect(items[0]).toEqual({
      ID: '00000000-0000-4000-8000-000000000001',
      Code: '1',
      Timestamp: '9007199254740994',
    });
    expect(fake.apiRequests().map((request) => request.url.pathname)).toEqual([
      '/api/v1/1/bulk/CRM/Accounts',
      '/api/v1/1/bulk/CRM/Accounts',
    ]);
    expect(fake.apiRequests()[0]?.url.searchParams.get('$select')).toBe('ID,Code,Timestamp');
  });

  it('gets one record by GUID, NOT_FOUND when there is none', async () => {
    const { fake, client } = setup({ division: 1 });
    const found = await client.accounts.get(fake.guidOf(3).toUpperCase());
    expect(found).toMatchObject({ success: true, data: { Name: 'Account 3' } });
    expect(fake.apiRequests()[0]?.url.searchParams.get('$filter')).toBe(`ID eq guid'${fake.guidOf(3)}'`);
    expect(await client.accounts.get(fake.guidOf(999))).toMatchObject({
      success: false,
      error: { code: 'NOT_FOUND' },
    });
    const bad = await client.accounts.get("x' or 1 eq 1");
    expect(bad).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', field: 'id' } });
    expect(fake.apiRequests()).toHaveLength(2);
  });

  it('lists the divisions', async () => {
    const { client } = setup();
    const { items } = await all(client.divisions());
    expect(items.map((division) => [division.Code, division.Hid, division.Current])).toEqual([
      [123456, '1001', true],
      [123457, '1002', false],
    ]);
  });

  it('does not follow a __next to another origin', async () => {
    const { fake, client } = setup({ division: 1 });
    fake.script('/crm/Accounts', () =>
      json({ d: { results: [], __next: "https://evil.test/api/v1/1/crm/Accounts?$skiptoken=guid'x'" } }),
    );
    const { error } = await all(client.accounts.list());
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE' });
    expect(fake.requests.every((request) => request.url.origin === BASE)).toBe(true);
  });

  it('answers INVALID_RESPONSE for malformed bodies', async () => {
    for (const body of [
      { value: [] },
      { d: { results: [{ ID: 'not-a-guid' }] } },
      { d: { results: [{ Created: '2026-01-01' }] } },
      { d: { results: [{ Timestamp: '1.5' }] } },
      { d: { results: 'x' } },
    ]) {
      const { fake, client } = setup({ division: 1 });
      fake.script('/crm/Accounts', () => json(body));
      const { error } = await all(client.accounts.list());
      expect(error).toMatchObject({ code: 'INVALID_RESPONSE' });
    }
    const { fake, client } = setup();
    let broken = true;
    fake.script('/current/Me', () => (broken ? json({ d: { results: [] } }) : undefined));
    expect(await client.division()).toMatchObject({ success: false, error: { code: 'INVALID_RESPONSE' } });
    // A failed division read is not kept: the next call reads it again.
    broken = false;
    expect(await client.division()).toEqual({ success: true, data: 123456 });
  });

  it("maps Exact's error body and Reason header", async () => {
    const { fake, client } = setup({ division: 1 });
    fake.script('/crm/Accounts', () =>
      odataError(400, "Property 'Foo' does not exist", { Reason: 'Bad Request' }),
    );
    const { error } = await all(client.accounts.list());
    expect(error?.code).toBe('VALIDATION_ERROR');
    expect(error?.message).toContain("Property 'Foo' does not exist (Reason: Bad Request)");
  });

  it('stops an endpoint before its tenth error in the hour', async () => {
    const { fake, client } = setup({ division: 1, retry: false });
    fake.script('/crm/Accounts', () => odataError(500, 'Internal error'));
    for (let i = 0; i < 9; i++) {
      const { error } = await all(client.accounts.list());
      expect(error?.code).toBe('SERVER_ERROR');
    }
    const { error } = await all(client.accounts.list());
    expect(error).toMatchObject({ code: 'RATE_LIMIT', retryable: false });
    expect(error?.message).toMatch(/before Exact blocks the app's key at 10, until \d{4}-/);
    expect(fake.apiRequests()).toHaveLength(9);
    // Another endpoint still answers.
    expect((await all(client.contacts.list())).error).toBeUndefined();
    expect(client.errorBudget?.state(`${BASE}/api/v1/1/crm/Accounts`).errors).toBe(9);
  });

  it('shares the error budget between clients through errorBudget.store, as processes sharing Redis would', async () => {
    const store = createMemoryFailureWindowStore();
    const { fake, client } = setup({ division: 1, retry: false, errorBudget: { store } });
    const other = createExactClient({
      oauth: { getAccessToken: async () => ok(toSecret(fake.accessToken)) },
      fetch: fake.fetch,
      rateLimit: false,
      retry: false,
      division: 1,
      errorBudget: { store },
    });
    fake.script('/crm/Accounts', () => odataError(500, 'Internal error'));
    for (let i = 0; i < 9; i++) {
      expect((await all((i % 2 === 0 ? client : other).accounts.list())).error?.code).toBe('SERVER_ERROR');
    }
    // Nine errors in all, five and four: both stop, though neither saw nine.
    for (const each of [client, other]) {
      const { error } = await all(each.accounts.list());
      expect(error).toMatchObject({ code: 'RATE_LIMIT', retryable: false });
    }
    expect(fake.apiRequests()).toHaveLength(9);
  });

  it('keeps no budget with errorBudget: false', async () => {
    const { fake, client } = setup({ division: 1, retry: false, errorBudget: false });
    fake.script('/crm/Accounts', () => odataError(500, 'Internal error'));
    for (let i = 0; i < 11; i++) await all(client.accounts.list());
    expect(fake.apiRequests()).toHaveLength(11);
    expect(client.errorBudget).toBeUndefined();
  });

  it('paces each division on its own limiter, fed by the headers', async () => {
    const { client } = setup({ division: 1, rateLimit: {} });
    await all(client.accounts.list({ top: 1 }));
    const one = await client.http(1).rateLimiter?.state();
    const two = await client.http(2).rateLimiter?.state();
    expect(one?.tokens).toBeLessThan(6);
    expect(two?.tokens).toBe(6);
    expect(client.http(1)).toBe(client.http(1));
  });
});
