// The run-time checks of what a create or an update sends, read as the writes read them (readJsonInput under
// `input`): required fields, GUIDs in any case, local dates without a zone, a sales invoice's lines, and other
// properties passed on when they are JSON primitives. writes.test.ts covers the calls; this covers the schemas.
import { readJsonInput } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import {
  exactAccountChangesSchema,
  exactAccountCreateSchema,
  exactContactChangesSchema,
  exactContactCreateSchema,
  exactSalesInvoiceCreateSchema,
  exactSalesInvoiceLineCreateSchema,
} from './write-inputs.ts';

const GUID = '11111111-2222-4333-8444-555555555555';
const OTHER = 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE';

/** The field of the first issue, as a write's VALIDATION_ERROR names it; undefined when accepted. */
function fieldOf(schema: z.ZodMiniType, input: unknown): string | undefined {
  const read = readJsonInput(input, 'input', schema);
  if (read.success) return undefined;
  expect(read.error.code).toBe('VALIDATION_ERROR');
  return read.error.field;
}

const line = (extra: Record<string, unknown> = {}) => ({ Item: GUID, ...extra });
const invoice = (extra: Record<string, unknown> = {}) => ({
  OrderedBy: GUID,
  Journal: '70',
  SalesInvoiceLines: [line()],
  ...extra,
});

describe('accounts', () => {
  it('requires a non-empty Name on create, and checks Status and MainContact', () => {
    expect(fieldOf(exactAccountCreateSchema, { Name: 'Acme' })).toBeUndefined();
    expect(fieldOf(exactAccountCreateSchema, {})).toBe('input.Name');
    expect(fieldOf(exactAccountCreateSchema, { Name: '' })).toBe('input.Name');
    expect(fieldOf(exactAccountCreateSchema, { Name: 12 })).toBe('input.Name');
    expect(fieldOf(exactAccountCreateSchema, { Name: 'Acme', Status: 'c' })).toBe('input.Status');
    expect(fieldOf(exactAccountCreateSchema, { Name: 'Acme', MainContact: 'acme' })).toBe(
      'input.MainContact',
    );
    expect(
      fieldOf(exactAccountCreateSchema, { Name: 'Acme', MainContact: null, Status: 'A' }),
    ).toBeUndefined();
    const status = readJsonInput({ Name: 'Acme', Status: 'X' }, 'input', exactAccountCreateSchema);
    expect(status.success ? undefined : status.error.issues).toEqual([
      { field: 'input.Status', message: 'must be C, P, S or A' },
    ]);
  });

  it('passes other properties on as they are when they are primitives, and refuses nested values by name', () => {
    const input = { Name: 'Acme', Website: null, IsSupplier: true, Code: '  42', CustomField: 3.5 };
    expect(readJsonInput(input, 'input', exactAccountCreateSchema)).toEqual({ success: true, data: input });
    expect(fieldOf(exactAccountCreateSchema, { Name: 'Acme', Address: { City: 'Delft' } })).toBe(
      'input.Address',
    );
    expect(fieldOf(exactAccountCreateSchema, { Name: 'Acme', Tags: ['a'] })).toBe('input.Tags');
  });

  it('takes changes without a Name, but not an empty one', () => {
    expect(fieldOf(exactAccountChangesSchema, {})).toBeUndefined();
    expect(fieldOf(exactAccountChangesSchema, { Email: 'a@b.test' })).toBeUndefined();
    expect(fieldOf(exactAccountChangesSchema, { Name: '' })).toBe('input.Name');
    expect(fieldOf(exactAccountChangesSchema, { Status: 'Z' })).toBe('input.Status');
  });
});

describe('contacts', () => {
  it('requires Account as a GUID (any case) on create, optional in changes', () => {
    expect(fieldOf(exactContactCreateSchema, { Account: OTHER, LastName: 'Lovelace' })).toBeUndefined();
    expect(fieldOf(exactContactCreateSchema, { LastName: 'Lovelace' })).toBe('input.Account');
    expect(fieldOf(exactContactCreateSchema, { Account: `{${GUID}}` })).toBe('input.Account');
    expect(fieldOf(exactContactCreateSchema, { Account: null })).toBe('input.Account');
    expect(fieldOf(exactContactChangesSchema, { LastName: 'Byron' })).toBeUndefined();
    expect(fieldOf(exactContactChangesSchema, { Account: 'x' })).toBe('input.Account');
  });

  it('takes BirthDate as Dutch local time (no zone), or null', () => {
    for (const BirthDate of [
      null,
      '1815-12-10',
      '1815-12-10T00:00',
      '1815-12-10T00:00:00',
      '1815-12-10T00:00:00.000',
    ]) {
      expect(fieldOf(exactContactCreateSchema, { Account: GUID, BirthDate })).toBeUndefined();
    }
    for (const BirthDate of [
      '1815-12-10T00:00:00Z',
      '1815-12-10T00:00+01:00',
      '10-12-1815',
      '1815-12-10 00:00',
      '',
    ]) {
      expect(fieldOf(exactContactChangesSchema, { BirthDate })).toBe('input.BirthDate');
    }
  });
});

describe('sales invoices', () => {
  it('requires OrderedBy, Journal and at least one line, and checks the invoice GUIDs and date', () => {
    expect(fieldOf(exactSalesInvoiceCreateSchema, invoice())).toBeUndefined();
    const cases: [Record<string, unknown>, string][] = [
      [{ OrderedBy: undefined }, 'input.OrderedBy'],
      [{ Journal: '' }, 'input.Journal'],
      [{ Journal: 70 }, 'input.Journal'],
      [{ InvoiceTo: 'acme' }, 'input.InvoiceTo'],
      [{ DeliverTo: null }, 'input.DeliverTo'],
      [{ InvoiceDate: '2026-12-07Z' }, 'input.InvoiceDate'],
      [{ SalesInvoiceLines: line() }, 'input.SalesInvoiceLines'],
      [{ SalesInvoiceLines: null }, 'input.SalesInvoiceLines'],
    ];
    for (const [change, field] of cases) {
      expect(fieldOf(exactSalesInvoiceCreateSchema, invoice(change))).toBe(field);
    }
  });

  it('takes 1 to 1 000 lines', () => {
    const lines = (count: number) => Array.from({ length: count }, () => line());
    expect(
      fieldOf(exactSalesInvoiceCreateSchema, invoice({ SalesInvoiceLines: lines(1_000) })),
    ).toBeUndefined();
    const over = readJsonInput(
      invoice({ SalesInvoiceLines: lines(1_001) }),
      'input',
      exactSalesInvoiceCreateSchema,
    );
    expect(over.success ? undefined : over.error.issues).toEqual([
      { field: 'input.SalesInvoiceLines', message: 'must hold at most 1 000 lines' },
    ]);
  });

  it('names the line and the field that fail, as input.SalesInvoiceLines.<n>.<field>', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ Item: undefined }, 'Item'],
      [{ Item: 'widget' }, 'Item'],
      [{ Quantity: '2' }, 'Quantity'],
      [{ UnitPrice: null }, 'UnitPrice'],
      [{ GLAccount: '8000' }, 'GLAccount'],
      [{ DeliveryDate: '2026-12-07T10:00:00+01:00' }, 'DeliveryDate'],
      [{ Notes: { text: 'x' } }, 'Notes'],
    ];
    for (const [change, field] of cases) {
      const input = invoice({ SalesInvoiceLines: [line(), line(), line(change)] });
      expect(fieldOf(exactSalesInvoiceCreateSchema, input)).toBe(`input.SalesInvoiceLines.2.${field}`);
    }
    const read = readJsonInput(
      invoice({ SalesInvoiceLines: [line({ Item: 'x' }), line({ GLAccount: 'y' })] }),
      'input',
      exactSalesInvoiceCreateSchema,
    );
    expect(read.success ? undefined : read.error.issues?.map((issue) => issue.field)).toEqual([
      'input.SalesInvoiceLines.0.Item',
      'input.SalesInvoiceLines.1.GLAccount',
    ]);
  });

  it('passes a line’s other primitives on, and keeps the lines in order', () => {
    const lines = [
      line({ Description: 'Widget', Quantity: 2, UnitPrice: 9.95, VATCode: '2', DeliveryDate: '2026-12-07' }),
      { Item: OTHER, Discount: 0.1, CostCenter: null },
    ];
    expect(
      readJsonInput(invoice({ SalesInvoiceLines: lines }), 'input', exactSalesInvoiceCreateSchema),
    ).toEqual({
      success: true,
      data: invoice({ SalesInvoiceLines: lines }),
    });
    expect(
      exactSalesInvoiceLineCreateSchema.safeParse({ Item: GUID, Quantity: Number.POSITIVE_INFINITY }).success,
    ).toBe(false);
  });
});
