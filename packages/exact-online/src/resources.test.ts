// The entity sets beyond accounts and contacts: their paths, bulk paths, keys and shapes, and an invoice's lines.
import { ok, toSecret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createFakeExact, json } from '../test-support/fake-exact.ts';
import { createExactClient } from './client.ts';
import { exactFilter as f } from './filter.ts';

const INVOICE = '11111111-2222-4333-8444-555555555555';

function setup() {
  const fake = createFakeExact();
  // Every other entity set answers one record of Exact's shape.
  fake.script(
    (request) => !/crm\/|current\/Me/.test(request.url.pathname),
    (request) => {
      const path = request.url.pathname;
      const record: Record<string, unknown> = { ID: INVOICE.replace('1111', 'aaaa'), Code: '        8000' };
      if (path.includes('SalesInvoiceLines'))
        Object.assign(record, { InvoiceID: INVOICE, Quantity: 2, VATCode: '2  ' });
      else if (path.includes('SalesInvoices'))
        Object.assign(record, {
          InvoiceID: INVOICE,
          InvoiceNumber: 26000001,
          AmountDC: 121.5,
          Journal: '70',
        });
      else if (path.includes('TransactionLines'))
        Object.assign(record, {
          Date: `/Date(${Date.UTC(2026, 1, 1)})/`,
          AmountDC: -10,
          FinancialYear: 2026,
        });
      return json({ d: { results: [record] } });
    },
  );
  const client = createExactClient({
    oauth: { getAccessToken: async () => ok(toSecret(fake.accessToken)) },
    division: 5,
    fetch: fake.fetch,
    rateLimit: false,
    retry: false,
  });
  return { fake, client };
}

async function first<T>(pages: AsyncIterable<{ success: boolean; data?: T[]; error?: unknown }>) {
  for await (const page of pages) return page;
  throw new Error('no page');
}

describe('entity sets', () => {
  it('reads each from its path and its bulk path, with its default $select', async () => {
    const { fake, client } = setup();
    const reads: [AsyncIterable<never>, string][] = [
      [client.items.list() as never, '/api/v1/5/logistics/Items'],
      [client.items.bulk() as never, '/api/v1/5/bulk/Logistics/Items'],
      [client.glAccounts.list() as never, '/api/v1/5/financial/GLAccounts'],
      [client.glAccounts.bulk() as never, '/api/v1/5/bulk/Financial/GLAccounts'],
      [client.costCenters.list() as never, '/api/v1/5/hrm/CostCenters'],
      [client.transactionLines.bulk() as never, '/api/v1/5/bulk/Financial/TransactionLines'],
      [client.salesInvoices.list() as never, '/api/v1/5/salesinvoice/SalesInvoices'],
      [client.salesInvoices.bulk() as never, '/api/v1/5/bulk/SalesInvoice/SalesInvoices'],
      [client.salesInvoiceLines.bulk() as never, '/api/v1/5/bulk/SalesInvoice/SalesInvoiceLines'],
    ];
    for (const [pages, path] of reads) {
      const page = await first(pages);
      expect(page.success).toBe(true);
      const request = fake.requests.at(-1);
      expect(request?.url.pathname).toBe(path);
      expect(request?.url.searchParams.get('$select')).toMatch(/^(ID|InvoiceID),/);
    }
    expect('bulk' in client.costCenters).toBe(false);
  });

  it('types their fields: codes trimmed, dates ISO, amounts numbers', async () => {
    const { client } = setup();
    expect(await first(client.glAccounts.list())).toMatchObject({ success: true, data: [{ Code: '8000' }] });
    expect(await first(client.transactionLines.list({ filter: f.eq('FinancialYear', 2026) }))).toMatchObject({
      success: true,
      data: [{ Date: '2026-01-31T23:00:00.000Z', AmountDC: -10, FinancialYear: 2026 }],
    });
    expect(await first(client.salesInvoices.list())).toMatchObject({
      success: true,
      data: [{ InvoiceID: INVOICE, InvoiceNumber: 26000001, AmountDC: 121.5, Journal: '70' }],
    });
  });

  it('gets a sales invoice by its InvoiceID, and reads its lines', async () => {
    const { fake, client } = setup();
    expect(await client.salesInvoices.get(INVOICE)).toMatchObject({
      success: true,
      data: { InvoiceID: INVOICE },
    });
    expect(fake.requests.at(-1)?.url.searchParams.get('$filter')).toBe(`InvoiceID eq guid'${INVOICE}'`);
    const lines = await first(client.salesInvoices.lines(INVOICE, { filter: f.gt('Quantity', 1) }));
    expect(lines).toMatchObject({ success: true, data: [{ InvoiceID: INVOICE, Quantity: 2, VATCode: '2' }] });
    const request = fake.requests.at(-1);
    expect(request?.url.pathname).toBe('/api/v1/5/salesinvoice/SalesInvoiceLines');
    expect(request?.url.searchParams.get('$filter')).toBe(
      `(InvoiceID eq guid'${INVOICE}') and (Quantity gt 1)`,
    );
  });

  it('refuses a bad invoice id or line filter before any request', async () => {
    const { fake, client } = setup();
    expect(await first(client.salesInvoices.lines("x' or 1 eq 1"))).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field: 'invoiceId' },
    });
    expect(
      await first(client.salesInvoices.lines(INVOICE, { filter: 'Quantity gt 1' as never })),
    ).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field: 'options.filter' },
    });
    expect(fake.requests).toHaveLength(0);
  });
});
