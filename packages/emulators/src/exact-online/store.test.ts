import { describe, expect, it } from 'vitest';
import { createRandom } from '../kit/random.ts';
import { ExactError } from './errors.ts';
import { createExactStore, padCode, type StoreChange } from './store.ts';

function setup() {
  const changes: StoreChange[] = [];
  const store = createExactStore({
    divisions: [101, 202],
    userId: 'u1',
    now: () => Date.UTC(2026, 0, 1),
    random: createRandom(7),
    firstTimestamp: 1000,
    onChange: (change) => changes.push(change),
  });
  return { store, changes };
}

describe('the Exact store', () => {
  it('creates records with a GUID key, audit dates, padded codes and a division-wide row version', () => {
    const { store, changes } = setup();
    const account = store.create(101, 'crm/Accounts', { Name: 'Acme', Code: '42' });
    const other = store.create(202, 'crm/Accounts', { Name: 'Other' });
    expect(account).toMatchObject({
      Name: 'Acme',
      Code: `${' '.repeat(16)}42`,
      Division: 101,
      Timestamp: '1000',
    });
    expect(account.Created).toBe(`/Date(${Date.UTC(2026, 0, 1, 1)})/`);
    expect(other.Timestamp).toBe('1000');
    const contact = store.create(101, 'crm/Contacts', {
      Account: account.ID,
      FirstName: 'Ada',
      LastName: 'L',
    });
    expect(contact).toMatchObject({ FullName: 'Ada L', AccountName: 'Acme', Timestamp: '1001' });
    expect(changes.map((c) => c.action)).toEqual(['Create', 'Create', 'Create']);
  });

  it('refuses unknown properties and missing mandatory ones', () => {
    const { store } = setup();
    expect(() => store.create(101, 'crm/Accounts', { Name: 'x', Nope: 1 })).toThrow(ExactError);
    expect(() => store.create(101, 'crm/Accounts', {})).toThrow('Mandatory: Name');
    expect(() =>
      store.create(101, 'crm/Contacts', { Account: '00000000-0000-4000-a000-000000000000' }),
    ).toThrow(/Account not found/);
  });

  it('keeps Timestamp order: an update moves the record to the end', () => {
    const { store } = setup();
    const a = store.create(101, 'crm/Accounts', { Name: 'A' });
    store.create(101, 'crm/Accounts', { Name: 'B' });
    const updated = store.update(101, 'crm/Accounts', (a.ID as string).toUpperCase(), { City: 'Delft' });
    expect(updated).toMatchObject({ Name: 'A', City: 'Delft', Timestamp: '1002' });
    expect(store.all(101, 'crm/Accounts').map((r) => r.Name)).toEqual(['B', 'A']);
    expect(store.update(101, 'crm/Accounts', 'missing', {})).toBeUndefined();
  });

  it('records deletions for sync/Deleted with a new row version', () => {
    const { store } = setup();
    const a = store.create(101, 'crm/Accounts', { Name: 'A' });
    expect(store.remove(101, 'crm/Accounts', a.ID as string)).toBe(true);
    expect(store.remove(101, 'crm/Accounts', a.ID as string)).toBe(false);
    expect(store.deleted(101)).toEqual([
      expect.objectContaining({ EntityKey: a.ID, EntityType: 2, Timestamp: '1001', Division: 101 }),
    ]);
  });

  it('writes a sales invoice and its lines in one create, and refuses it whole for a bad line', () => {
    const { store } = setup();
    const account = store.create(101, 'crm/Accounts', { Name: 'A' });
    const item = store.create(101, 'logistics/Items', { Code: 'I1', Description: 'Item' });
    const invoice = store.create(101, 'salesinvoice/SalesInvoices', {
      OrderedBy: account.ID,
      Journal: '70',
      SalesInvoiceLines: [
        { Item: item.ID, Quantity: 2, UnitPrice: 10 },
        { Item: item.ID, Quantity: 1, UnitPrice: 5 },
      ],
    });
    expect(invoice.AmountDC).toBe(25);
    const lines = store.all(101, 'salesinvoice/SalesInvoiceLines');
    expect(lines.map((l) => [l.InvoiceID, l.LineNumber, l.AmountDC])).toEqual([
      [invoice.InvoiceID, 1, 20],
      [invoice.InvoiceID, 2, 5],
    ]);
    expect(() =>
      store.create(101, 'salesinvoice/SalesInvoices', {
        OrderedBy: account.ID,
        Journal: '70',
        SalesInvoiceLines: [{}],
      }),
    ).toThrow('Mandatory: Item');
    expect(store.all(101, 'salesinvoice/SalesInvoices')).toHaveLength(1);
  });

  it('seeds 50 000 accounts fast, sorted by key on demand', () => {
    const { store } = setup();
    const started = performance.now();
    store.seed(
      101,
      'crm/Accounts',
      Array.from({ length: 50_000 }, (_, n) => ({ Name: `Company ${n}` })),
    );
    const sorted = store.byKey(101, 'crm/Accounts');
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(sorted).toHaveLength(50_000);
    expect((sorted[0]!.ID as string) < (sorted[1]!.ID as string)).toBe(true);
    expect(store.lastTimestamp(101)).toBe(50_999);
    expect(padCode('7')).toHaveLength(18);
  });
});
