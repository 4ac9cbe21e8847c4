import { describe, expect, it } from 'vitest';
import { createExactOnlineEmulator, type ExactOnlineEmulatorOptions } from './emulator.ts';
import { generateExactRecords } from './generator.ts';

function setup(options: ExactOnlineEmulatorOptions = {}) {
  let clock = Date.UTC(2026, 3, 1, 8);
  const exact = createExactOnlineEmulator({ divisions: [101, 202], now: () => clock, ...options });
  const { access_token } = exact.issueTokens();
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = { Authorization: `Bearer ${access_token}`, Accept: 'application/json' },
  ) => {
    const response = await exact.handler(
      new Request(`${exact.baseUrl}${path}`, {
        method,
        headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    if ('kind' in response) throw new Error(response.kind);
    const text = await response.text();
    const json =
      (response.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
    return { status: response.status, headers: response.headers, body: json };
  };
  return { exact, call, token: access_token, advance: (ms: number) => (clock += ms) };
}

describe('Exact Online API routes', () => {
  it('answers current/Me with $select, and the divisions', async () => {
    const { call, exact } = setup();
    const me = await call('GET', '/api/v1/current/Me?$select=CurrentDivision');
    expect(me.status).toBe(200);
    expect(me.body.d.results).toEqual([
      { __metadata: expect.objectContaining({ type: 'Exact.Web.Api.System.Me' }), CurrentDivision: 101 },
    ]);
    const divisions = await call('GET', '/api/v1/101/system/Divisions?$select=Code,Description');
    expect(divisions.body.d.results.map((d: { Code: number }) => d.Code)).toEqual([101, 202]);
    expect(exact.division).toBe(101);
    const system = await call(
      'GET',
      '/api/v1/101/system/Divisions?$select=Code,Current,Hid,IsMainDivision,Status',
    );
    expect(system.body.d.results[0]).toMatchObject({
      Code: 101,
      Current: true,
      Hid: 101,
      IsMainDivision: true,
      Status: 1,
    });
    expect((await call('GET', '/api/v1/101/system/Divisions?$select=HID')).status).toBe(400);
    const hrm = await call('GET', '/api/v1/101/hrm/Divisions?$select=Code,HID,Main,BlockingStatus,Status');
    expect(hrm.body.d.results[1]).toMatchObject({
      Code: 202,
      HID: 202,
      Main: false,
      BlockingStatus: 0,
      Status: 0,
    });
  });

  it('refuses a missing or expired token with 401, and an unreachable division with 403', async () => {
    const { call, advance } = setup();
    expect((await call('GET', '/api/v1/current/Me', undefined, { Accept: 'application/json' })).status).toBe(
      401,
    );
    expect((await call('GET', '/api/v1/999/crm/Accounts?$top=1')).status).toBe(403);
    advance(600_000);
    const expired = await call('GET', '/api/v1/current/Me');
    expect(expired.status).toBe(401);
    expect(expired.body.error.message.value).toMatch(/Unauthorized/);
  });

  it('creates, reads, changes and deletes accounts and contacts', async () => {
    const { call, exact } = setup({ mandatoryFiltering: false });
    const created = await call('POST', '/api/v1/101/crm/Accounts', { Name: 'Acme', City: 'Delft' });
    expect(created.status).toBe(201);
    const id = created.body.d.ID;
    expect(created.body.d).toMatchObject({ Name: 'Acme', Code: '                 1', Division: 101 });
    expect(created.body.d.Created).toMatch(/^\/Date\(\d+\)\/$/);
    expect(created.body.d).not.toHaveProperty('Timestamp');
    const contact = await call('POST', '/api/v1/101/crm/Contacts', {
      Account: id,
      FirstName: 'Ada',
      LastName: 'L',
    });
    expect(contact.body.d.AccountName).toBe('Acme');
    const put = await call('PUT', `/api/v1/101/crm/Contacts(guid'${contact.body.d.ID}')`, {
      LastName: 'Lovelace',
    });
    expect(put.status).toBe(204);
    const one = await call('GET', `/api/v1/101/crm/Contacts(guid'${contact.body.d.ID}')?$select=FullName`);
    expect(one.body.d).toMatchObject({ FullName: 'Ada Lovelace' });
    expect((await call('DELETE', `/api/v1/101/crm/Accounts(guid'${id}')`)).status).toBe(204);
    expect((await call('GET', `/api/v1/101/crm/Accounts(guid'${id}')`)).status).toBe(404);
    expect(exact.deleted(101)).toHaveLength(1);
    const bad = await call('POST', '/api/v1/101/crm/Accounts', { Nope: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({ code: '', message: { lang: '', value: expect.stringMatching(/Nope/) } });
  });

  it('pages REST lists by 60 and bulk lists by 1 000, with __next carrying $skiptoken', async () => {
    const { call, exact } = setup();
    exact.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 1_100 }));
    const refused = await call('GET', '/api/v1/101/crm/Accounts');
    expect(refused.body.error.message.value).toMatch(/mandatory filtering/);
    const first = await call('GET', "/api/v1/101/crm/Accounts?$filter=Country eq 'NL'&$select=ID,Name");
    expect(first.body.d.results).toHaveLength(60);
    const next = new URL(first.body.d.__next);
    expect(next.searchParams.get('$skiptoken')).toMatch(/^guid'/);
    expect(next.searchParams.get('$select')).toBe('ID,Name');
    const second = await call('GET', `${next.pathname}${next.search}`);
    expect(second.body.d.results[0].ID > first.body.d.results[59].ID).toBe(true);
    const bulk = await call('GET', "/api/v1/101/bulk/CRM/Accounts?$select=ID&$filter=Country eq 'NL'");
    expect(bulk.body.d.results).toHaveLength(1_000);
    expect((await call('GET', '/api/v1/101/bulk/CRM/Accounts?$select=*')).status).toBe(400);
    expect((await call('GET', '/api/v1/101/crm/Accounts?$top=1&$expand=Contacts')).status).toBe(400);
  });

  it('follows __next through an $orderby read capped by $top', async () => {
    const { call, exact } = setup({ rateLimit: false });
    exact.seed(
      'crm/Accounts',
      Array.from({ length: 150 }, (_, n) => ({
        Name: `Co ${String(n).padStart(3, '0')} & 'sons'+`,
        City: 'Delft',
      })),
    );
    const names: string[] = [];
    let path: string | undefined =
      "/api/v1/101/crm/Accounts?$select=Name&$filter=City eq 'Delft'&$orderby=Name desc&$top=130";
    while (path) {
      const page = await call('GET', path);
      names.push(...page.body.d.results.map((r: { Name: string }) => r.Name));
      const next: string | undefined = page.body.d.__next;
      path = next === undefined ? undefined : next.slice(exact.baseUrl.length);
    }
    expect(names).toHaveLength(130);
    expect(names[0]).toBe("Co 149 & 'sons'+");
    expect(names[129]).toBe("Co 020 & 'sons'+");
  });

  it('serves the Sync API ordered by Timestamp as strings, and sync/Deleted', async () => {
    const { call, exact } = setup();
    const [a, b] = exact.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 2 }));
    exact.updateRecord('crm/Accounts', a!.ID as string, { City: 'Gouda' });
    const page = await call(
      'GET',
      '/api/v1/101/sync/CRM/Accounts?$select=ID,Timestamp,City&$filter=Timestamp gt 1L',
    );
    expect(page.body.d.results.map((r: { ID: string }) => r.ID)).toEqual([b!.ID, a!.ID]);
    expect(page.body.d.results[1]).toMatchObject({ Timestamp: '1000002', City: 'Gouda' });
    const since = await call('GET', '/api/v1/101/sync/CRM/Accounts?$select=ID&$filter=Timestamp gt 1000001L');
    expect(since.body.d.results).toHaveLength(1);
    exact.deleteRecord('crm/Accounts', b!.ID as string);
    const deleted = await call(
      'GET',
      '/api/v1/101/sync/Deleted?$select=EntityKey,EntityType,Timestamp&$filter=Timestamp gt 1L',
    );
    expect(deleted.body.d.results).toEqual([
      expect.objectContaining({ EntityKey: b!.ID, EntityType: 2, Timestamp: '1000003' }),
    ]);
  });

  it('maps a date to a starting Timestamp with read/sync/Sync/SyncTimestamp', async () => {
    const { call, exact, advance } = setup();
    exact.createRecord('crm/Accounts', { Name: 'Before' });
    advance(86_400_000);
    const after = exact.createRecord('crm/Accounts', { Name: 'After' });
    const fresh = { Authorization: `Bearer ${exact.issueTokens().access_token}`, Accept: 'application/json' };
    const answer = await call(
      'GET',
      `/api/v1/101/read/sync/Sync/SyncTimestamp?modified=datetime'2026-04-02T00:00:00'&endPoint='Accounts'`,
      undefined,
      fresh,
    );
    expect(answer.status).toBe(200);
    const start = answer.body.d.results[0].TimeStampAsBigInt;
    expect(start).toBe(String(Number(after.Timestamp) - 1));
    const page = await call(
      'GET',
      `/api/v1/101/sync/CRM/Accounts?$select=Name&$filter=Timestamp gt ${start}L`,
      undefined,
      fresh,
    );
    expect(page.body.d.results.map((r: { Name: string }) => r.Name)).toEqual(['After']);
  });

  it('writes a sales invoice with its lines in one POST and serves the lines', async () => {
    const { call, exact } = setup();
    const account = exact.createRecord('crm/Accounts', { Name: 'Acme' });
    const item = exact.createRecord('logistics/Items', { Code: 'I1', Description: 'Widget' });
    const invoice = await call('POST', '/api/v1/101/salesinvoice/SalesInvoices', {
      OrderedBy: account.ID,
      Journal: '70',
      SalesInvoiceLines: [{ Item: item.ID, Quantity: 3, UnitPrice: 2.5 }],
    });
    expect(invoice.status).toBe(201);
    expect(invoice.body.d.AmountDC).toBe(7.5);
    expect(invoice.body.d.SalesInvoiceLines.__deferred.uri).toMatch(/SalesInvoiceLines$/);
    const lines = await call(
      'GET',
      `/api/v1/101/salesinvoice/SalesInvoices(guid'${invoice.body.d.InvoiceID}')/SalesInvoiceLines`,
    );
    expect(lines.body.d.results).toEqual([expect.objectContaining({ Quantity: 3, LineNumber: 1 })]);
  });

  it('answers without Accept: application/json in XML, not JSON', async () => {
    const { call, token } = setup();
    const res = await call('GET', '/api/v1/current/Me', undefined, { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/atom\+xml/);
    expect(res.body).toMatch(/^<\?xml/);
  });

  it('limits 60 calls a minute per division with Exact headers, and 429 past them', async () => {
    const { call, advance } = setup();
    let last = await call('GET', '/api/v1/101/crm/Accounts?$top=1');
    expect(last.headers.get('X-RateLimit-Minutely-Remaining')).toBe('59');
    expect(last.headers.get('X-RateLimit-Remaining')).toBe('4999');
    expect(Number(last.headers.get('X-RateLimit-Minutely-Reset'))).toBe(Date.UTC(2026, 3, 1, 8, 1));
    for (let i = 0; i < 59; i++) last = await call('GET', '/api/v1/101/crm/Accounts?$top=1');
    expect(last.status).toBe(200);
    const refused = await call('GET', '/api/v1/101/crm/Accounts?$top=1');
    expect(refused.status).toBe(429);
    expect((await call('GET', '/api/v1/202/crm/Accounts?$top=1')).status).toBe(200);
    advance(60_000);
    expect((await call('GET', '/api/v1/101/crm/Accounts?$top=1')).status).toBe(200);
  });

  it('blocks the key on an endpoint after more than 10 errors in an hour', async () => {
    const { call, advance, exact } = setup();
    for (let i = 0; i < 11; i++)
      expect((await call('GET', '/api/v1/101/crm/Accounts?$filter=bad')).status).toBe(400);
    const blocked = await call('GET', '/api/v1/101/crm/Accounts?$top=1');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message.value).toMatch(/blocked/);
    expect((await call('GET', '/api/v1/101/crm/Contacts?$top=1')).status).toBe(200);
    advance(3_600_000);
    const fresh = { Authorization: `Bearer ${exact.issueTokens().access_token}`, Accept: 'application/json' };
    expect((await call('GET', '/api/v1/101/crm/Accounts?$top=1', undefined, fresh)).status).toBe(200);
  });

  it('subscribes webhooks through the API and signs deliveries of API writes', async () => {
    const { call, exact } = setup();
    const sub = await call('POST', '/api/v1/101/webhooks/WebhookSubscriptions', {
      CallbackURL: 'https://app.test/hook',
      Topic: 'Accounts',
    });
    expect(sub.status).toBe(201);
    expect(sub.body.d).toMatchObject({ ClientID: exact.clientId, Topic: 'Accounts', Division: 101 });
    await call('POST', '/api/v1/101/crm/Accounts', { Name: 'Hooked' });
    const [delivery] = exact.webhookDeliveries();
    expect(delivery!.content).toMatchObject({ Topic: 'Accounts', Action: 'Create', Division: 101 });
    const listed = await call('GET', '/api/v1/101/webhooks/WebhookSubscriptions');
    expect(listed.body.d.results).toHaveLength(1);
    expect(
      (await call('DELETE', `/api/v1/101/webhooks/WebhookSubscriptions(guid'${sub.body.d.ID}')`)).status,
    ).toBe(204);
  });

  it('turns limits off with rateLimit: false', async () => {
    const { call } = setup({ rateLimit: false });
    const res = await call('GET', '/api/v1/101/crm/Accounts?$top=1');
    expect(res.headers.get('X-RateLimit-Remaining')).toBeNull();
  });
});
