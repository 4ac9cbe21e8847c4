import { describe, expect, it } from 'vitest';
import { entity } from './entities.ts';
import { ExactError } from './errors.ts';
import { orderRecords } from './order.ts';
import { parseReadQuery, type ReadKind, selectPage, shapeRecord } from './query.ts';

const accounts = entity('crm/Accounts');
const parse = (query: string, kind: ReadKind = 'rest', mandatoryFiltering = false) =>
  parseReadQuery(new URLSearchParams(query), accounts, kind, { mandatoryFiltering });
const message = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ExactError);
    return (error as ExactError).message;
  }
  throw new Error('accepted');
};

const records = Array.from({ length: 130 }, (_, n) => ({
  ID: `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`,
  Name: `Company ${n}`,
  City: n % 2 ? 'Delft' : 'Utrecht',
  Timestamp: String(1000 + n),
}));

describe('read queries', () => {
  it('requires $select on bulk and sync endpoints and refuses $select=*', () => {
    expect(message(() => parse('', 'bulk'))).toBe(
      'Please add a $select or a $top=1 statement to the query string.',
    );
    expect(message(() => parse('$select=*', 'sync'))).toMatch(/\$select=\*/);
    expect(parse('$top=1', 'bulk').top).toBe(1);
    expect(parse('$select=*').select).toBeUndefined();
    expect(parse('$select=ID, Name', 'bulk').select).toEqual(['ID', 'Name']);
  });

  it('refuses $expand, unknown properties and unknown $ options, and Timestamp off sync', () => {
    expect(message(() => parse('$expand=Contacts'))).toMatch(/\$expand/);
    expect(message(() => parse('$select=Nope'))).toMatch(/Could not find a property named 'Nope'/);
    expect(message(() => parse('$foo=1'))).toMatch(/system-reserved/);
    expect(message(() => parse('$filter=Timestamp gt 1L'))).toMatch(/not supported: Timestamp/);
    expect(parse('$select=ID&$filter=Timestamp gt 1L', 'sync').filter).toBeDefined();
  });

  it('applies mandatory filtering to REST and bulk lists of entities with a sync endpoint', () => {
    expect(message(() => parse('$select=ID', 'bulk', true))).toMatch(/mandatory filtering/);
    expect(parse("$select=ID&$filter=Name eq 'x'", 'bulk', true).filter).toBeDefined();
    expect(parse('$select=ID', 'sync', true).filter).toBeUndefined();
  });

  it('pages REST reads by 60 with a guid skiptoken, honouring the filter', () => {
    const first = selectPage(records, accounts, 'rest', parse(''));
    expect(first.rows).toHaveLength(60);
    expect(first.nextToken).toBe(`guid'${records[59]!.ID}'`);
    const second = selectPage(records, accounts, 'rest', parse(`$skiptoken=${first.nextToken}`));
    expect(second.rows[0]).toBe(records[60]);
    const third = selectPage(records, accounts, 'rest', parse(`$skiptoken=guid'${records[119]!.ID}'`));
    expect([third.rows.length, third.nextToken]).toEqual([10, undefined]);
    const filtered = selectPage(records, accounts, 'rest', parse("$filter=City eq 'Delft'"));
    expect(filtered.rows.every((r) => r.City === 'Delft')).toBe(true);
    expect(filtered.nextToken).toBeDefined();
  });

  it('pages sync reads by Timestamp with an Int64 skiptoken; $top ends the read', () => {
    const page = selectPage(
      records,
      accounts,
      'sync',
      parse('$select=ID&$filter=Timestamp gt 1100L', 'sync'),
    );
    expect(page.rows.map((r) => r.Timestamp)).toEqual(records.slice(101).map((r) => r.Timestamp));
    expect(page.nextToken).toBeUndefined();
    const after = selectPage(records, accounts, 'sync', parse('$select=ID&$skiptoken=1127L', 'sync'));
    expect(after.rows.map((r) => r.Timestamp)).toEqual(['1128', '1129']);
    expect(selectPage(records, accounts, 'rest', parse('$top=5')).nextToken).toBeUndefined();
    const capped = selectPage(records, accounts, 'rest', parse('$top=100'));
    expect([capped.rows.length, capped.nextTop]).toEqual([60, 40]);
    const rest = selectPage(records, accounts, 'rest', parse(`$top=40&$skiptoken=${capped.nextToken}`));
    expect([rest.rows.length, rest.nextToken]).toEqual([40, undefined]);
    expect(message(() => parse("$select=ID&$skiptoken=guid'x'", 'sync'))).toMatch(/skiptoken/);
  });

  it('orders by one property across pages with a value-and-key skiptoken, not on sync', () => {
    const first = parse('$orderby=City desc');
    const ordered = orderRecords(records, first.orderBy!);
    const page = selectPage(ordered, accounts, 'rest', first);
    expect(page.rows.every((r) => r.City === 'Utrecht')).toBe(true);
    expect(page.nextToken).toBe(`'Utrecht',guid'${records[118]!.ID}'`);
    const next = selectPage(
      ordered,
      accounts,
      'rest',
      parse(`$orderby=City desc&$skiptoken=${page.nextToken}`),
    );
    expect(next.rows.slice(4, 6).map((r) => r.City)).toEqual(['Utrecht', 'Delft']);
    expect(next.rows).toHaveLength(60);
    expect(message(() => parse('$select=ID&$orderby=Name', 'sync'))).toMatch(/orderby/);
  });

  it('counts the filtered total with $inlinecount=allpages', () => {
    const page = selectPage(
      records,
      accounts,
      'rest',
      parse("$inlinecount=allpages&$filter=City eq 'Delft'"),
    );
    expect([page.rows.length, page.count]).toEqual([60, 65]);
    expect(selectPage(records, accounts, 'rest', parse('$top=1')).count).toBeUndefined();
    expect(message(() => parse('$inlinecount=some'))).toMatch(/inlinecount/);
  });

  it('shapes records with __metadata, selected properties and nulls', () => {
    const shaped = shapeRecord(records[0]!, accounts, 'rest', ['ID', 'Email'], 'https://x/r');
    expect(shaped).toEqual({
      __metadata: { uri: 'https://x/r', type: 'Exact.Web.Api.Models.Account' },
      ID: records[0]!.ID,
      Email: null,
    });
    expect(shapeRecord(records[0]!, accounts, 'rest', undefined, 'u')).not.toHaveProperty('Timestamp');
    expect(shapeRecord(records[0]!, accounts, 'sync', undefined, 'u')).toHaveProperty('Timestamp', '1000');
    const invoice = shapeRecord({}, entity('salesinvoice/SalesInvoices'), 'rest', ['SalesInvoiceLines'], 'u');
    expect(invoice.SalesInvoiceLines).toEqual({ __deferred: { uri: 'u/SalesInvoiceLines' } });
  });
});
