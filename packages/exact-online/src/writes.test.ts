// Writes against the Exact Online emulator (its handler as fetch): a sales invoice with its lines in one POST, a PUT
// answered 204, deletes, the retry rule for POST, and input refused before any request.
import { Secret } from '@patchbay/core';
import { createMemoryOAuth2TokenStore } from '@patchbay/core/oauth';
import { createMemoryStore } from '@patchbay/core/store';
import { createExactOnlineEmulator } from '@patchbay/emulators';
import { describe, expect, it } from 'vitest';
import { createExactClient, type ExactClientOptions } from './client.ts';

type Reply = Response | undefined;

function setup(options: Partial<ExactClientOptions> = {}, intercept?: (request: Request) => Reply) {
  const emulator = createExactOnlineEmulator({ divisions: [1234567] });
  const requests: { method: string; path: string }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    requests.push({ method: request.method, path: new URL(request.url).pathname });
    const replaced = intercept?.(request);
    if (replaced) return replaced;
    const reply = await emulator.handler(request);
    if (reply instanceof Response) return reply;
    throw new TypeError('connection reset');
  };
  const grant = emulator.issueTokens();
  const tokens = createMemoryOAuth2TokenStore({
    accessToken: new Secret(grant.access_token),
    tokenType: 'bearer',
    expiresAt: Date.now() + 600_000,
    refreshToken: new Secret(grant.refresh_token),
    scope: null,
    obtainedAt: Date.now(),
  });
  const client = createExactClient({
    baseUrl: emulator.baseUrl,
    oauth: { clientId: emulator.clientId, clientSecret: emulator.clientSecret, tokens },
    store: createMemoryStore(),
    division: 1234567,
    fetch,
    retry: { retries: 2, initialDelayMs: 1, maxDelayMs: 1 },
    ...options,
  });
  const writes = () => requests.filter((r) => r.method !== 'GET');
  return { emulator, client, requests, writes };
}

async function seeded(setupResult: ReturnType<typeof setup>) {
  const { emulator } = setupResult;
  const account = emulator.createRecord('crm/Accounts', { Name: 'Acme BV' });
  const item = emulator.createRecord('logistics/Items', { Code: 'WIDGET', Description: 'Widget' });
  return { accountId: String(account.ID), itemId: String(item.ID) };
}

describe('salesInvoices.create', () => {
  it('posts the invoice with its lines in one request and answers the created invoice', async () => {
    const context = setup();
    const { client, emulator, writes } = context;
    const { accountId, itemId } = await seeded(context);
    const created = await client.salesInvoices.create({
      OrderedBy: accountId,
      Journal: '70',
      Description: 'December',
      // No InvoiceDate: the emulator echoes a written date as given, where Exact answers /Date(ms)/.
      SalesInvoiceLines: [
        { Item: itemId, Quantity: 2, UnitPrice: 10 },
        { Item: itemId, Quantity: 1, UnitPrice: 5.5, Description: 'Extra' },
      ],
    });
    if (!created.success) throw created.error;
    expect(created.data.InvoiceID).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.data).toMatchObject({ OrderedBy: accountId, Description: 'December', AmountDC: 25.5 });
    expect(created.data).not.toHaveProperty('__metadata');
    // The emulator answers the lines as a deferred link: read with lines().
    expect(created.data.SalesInvoiceLines).toBeUndefined();
    expect(writes()).toEqual([{ method: 'POST', path: '/api/v1/1234567/salesinvoice/SalesInvoices' }]);
    const stored = emulator.list('salesinvoice/SalesInvoiceLines');
    expect(stored.map((line) => [line.InvoiceID, line.LineNumber, line.AmountDC])).toEqual([
      [created.data.InvoiceID, 1, 20],
      [created.data.InvoiceID, 2, 5.5],
    ]);
    const lines: unknown[] = [];
    for await (const page of client.salesInvoices.lines(created.data.InvoiceID)) {
      if (page.success) lines.push(...page.data);
    }
    expect(lines).toHaveLength(2);
  });

  it('reads lines Exact answers inside the created invoice (`{ results }`)', async () => {
    const invoiceId = '11111111-2222-4333-8444-555555555555';
    const line = { ID: '11111111-2222-4333-8444-666666666666', InvoiceID: invoiceId, LineNumber: 1 };
    const context = setup({}, (request) =>
      request.method === 'POST'
        ? Response.json(
            { d: { InvoiceID: invoiceId, SalesInvoiceLines: { results: [line] } } },
            { status: 201 },
          )
        : undefined,
    );
    const { accountId, itemId } = await seeded(context);
    const created = await context.client.salesInvoices.create({
      OrderedBy: accountId,
      Journal: '70',
      SalesInvoiceLines: [{ Item: itemId }],
    });
    expect(created).toEqual({
      success: true,
      data: { InvoiceID: invoiceId, SalesInvoiceLines: [line] },
    });
  });

  it('names the failing field, before any request', async () => {
    const { client, requests } = setup();
    const good = '11111111-2222-4333-8444-555555555555';
    const cases: [unknown, string][] = [
      [
        { OrderedBy: good, Journal: '70', SalesInvoiceLines: [{ Quantity: 1 }] },
        'input.SalesInvoiceLines.0.Item',
      ],
      [{ OrderedBy: good, Journal: '70', SalesInvoiceLines: [] }, 'input.SalesInvoiceLines'],
      [{ OrderedBy: good, Journal: '70' }, 'input.SalesInvoiceLines'],
      [{ OrderedBy: 'acme', Journal: '70', SalesInvoiceLines: [{ Item: good }] }, 'input.OrderedBy'],
      [
        { OrderedBy: good, Journal: '70', SalesInvoiceLines: [{ Item: good, Quantity: Number.NaN }] },
        'input.SalesInvoiceLines.0.Quantity',
      ],
      [
        {
          OrderedBy: good,
          Journal: '70',
          InvoiceDate: '2026-12-07T10:00:00Z',
          SalesInvoiceLines: [{ Item: good }],
        },
        'input.InvoiceDate',
      ],
      [
        { OrderedBy: good, Journal: '70', Extra: { nested: true }, SalesInvoiceLines: [{ Item: good }] },
        'input.Extra',
      ],
    ];
    for (const [input, field] of cases) {
      const result = await client.salesInvoices.create(input as never);
      expect(result.success ? undefined : [result.error.code, result.error.field]).toEqual([
        'VALIDATION_ERROR',
        field,
      ]);
    }
    expect(requests).toEqual([]);
  });

  it('passes on what Exact refuses, with its message', async () => {
    const context = setup();
    const { accountId, itemId } = await seeded(context);
    const refused = await context.client.salesInvoices.create({
      OrderedBy: accountId,
      Journal: '70',
      SalesInvoiceLines: [{ Item: itemId, Bogus: 'x' }],
    });
    expect(refused.success ? undefined : refused.error.code).toBe('VALIDATION_ERROR');
    expect(refused.success ? '' : refused.error.message).toContain("'Bogus'");
    expect(context.emulator.list('salesinvoice/SalesInvoices')).toEqual([]);
  });
});

describe('the retry rule for writes', () => {
  it('does not resend a POST after a 5xx or a network failure (it may have been processed)', async () => {
    let failures = 0;
    const context = setup({}, (request) => {
      if (request.method !== 'POST') return undefined;
      failures++;
      return new Response('Service Unavailable', { status: 503 });
    });
    const created = await context.client.accounts.create({ Name: 'Acme' });
    expect(created.success ? undefined : created.error.code).toBe('SERVER_ERROR');
    expect(failures).toBe(1);
  });

  it('resends a POST after a 429 (not processed)', async () => {
    let refusals = 0;
    const context = setup({}, (request) => {
      if (request.method !== 'POST' || refusals > 0) return undefined;
      refusals++;
      // Exact's minute window, reset now (epoch ms).
      return new Response(null, {
        status: 429,
        headers: { 'X-RateLimit-Minutely-Remaining': '0', 'X-RateLimit-Minutely-Reset': String(Date.now()) },
      });
    });
    const created = await context.client.accounts.create({ Name: 'Acme' });
    expect(created.success).toBe(true);
    expect(context.writes()).toHaveLength(2);
    expect(context.emulator.list('crm/Accounts')).toHaveLength(1);
  });

  it('resends a PUT after a 5xx (it sets values: safe to repeat)', async () => {
    let failures = 0;
    const context = setup({}, (request) => {
      if (request.method !== 'PUT' || failures > 0) return undefined;
      failures++;
      return new Response(null, { status: 503 });
    });
    const account = context.emulator.createRecord('crm/Accounts', { Name: 'Acme' });
    expect(await context.client.accounts.update(String(account.ID), { City: 'Delft' })).toEqual({
      success: true,
      data: undefined,
    });
    expect(context.writes()).toHaveLength(2);
  });
});

describe('accounts and contacts', () => {
  it('creates, updates (204 No Content) and deletes', async () => {
    const { client, emulator } = setup();
    const account = await client.accounts.create({ Name: 'Acme BV', City: 'Delft', Status: 'C' });
    expect(account.success).toBe(true);
    if (!account.success) return;
    expect(account.data).toMatchObject({ Name: 'Acme BV', City: 'Delft' });
    const contact = await client.contacts.create({
      Account: account.data.ID,
      FirstName: 'Ada',
      LastName: 'Lovelace',
    });
    expect(contact.success).toBe(true);
    if (!contact.success) return;
    expect(contact.data).toMatchObject({ FullName: 'Ada Lovelace', AccountName: 'Acme BV' });
    const updated = await client.contacts.update(contact.data.ID.toUpperCase(), { Email: 'ada@acme.test' });
    expect(updated).toEqual({ success: true, data: undefined });
    expect(emulator.get('crm/Contacts', contact.data.ID)?.Email).toBe('ada@acme.test');
    expect(await client.accounts.update(account.data.ID, { Name: 'Acme Holding' })).toEqual({
      success: true,
      data: undefined,
    });
    expect(await client.contacts.delete(contact.data.ID)).toEqual({ success: true, data: undefined });
    expect(emulator.get('crm/Contacts', contact.data.ID)).toBeUndefined();
    const missing = await client.contacts.update(contact.data.ID, { Email: 'x@y.test' });
    expect(missing.success ? undefined : missing.error.code).toBe('NOT_FOUND');
  });

  it('refuses hostile input by field, before any request', async () => {
    const { client, requests } = setup();
    const id = '11111111-2222-4333-8444-555555555555';
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    const getter = Object.defineProperty({}, 'Name', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    const cases: [Promise<{ success: boolean; error?: { code: string; field?: string } }>, string][] = [
      [client.contacts.update("x') or 1 eq 1 or ('", { Email: 'a@b.test' }), 'id'],
      [client.contacts.update(id, {}), 'changes'],
      [client.contacts.update(id, { ID: id } as never), 'changes.ID'],
      [client.contacts.update(id, { Account: 'not-a-guid' }), 'changes.Account'],
      [client.contacts.update(id, null as never), 'changes'],
      [client.accounts.create(hostile as never), 'input'],
      [client.accounts.create(getter as never), 'input.Name'],
      [client.accounts.create({ Name: '' }), 'input.Name'],
      [client.accounts.create({ Name: 'x', Status: 'Z' as never }), 'input.Status'],
      [client.accounts.create({ Name: 'x' }, { signal: 'soon' as never }), 'options.signal'],
      [client.accounts.delete(42 as never), 'id'],
      [client.contacts.create({ FirstName: 'Ada' } as never), 'input.Account'],
    ];
    for (const [call, field] of cases) {
      const result = await call;
      expect(result.success ? undefined : [result.error?.code, result.error?.field]).toEqual([
        'VALIDATION_ERROR',
        field,
      ]);
    }
    expect(requests).toEqual([]);
  });
});
