// The record schemas against Exact's OData v2 shapes as sent (`/Date(ms)/` in Dutch wall-clock time, Int64 row
// versions as strings, right-aligned codes, nulls, upper-case GUIDs, fields nobody typed), their refusals, and
// DEFAULT_SELECT naming only fields the schemas know.
import { EXACT_ENTITIES } from '@patchbay/emulators';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  DEFAULT_SELECT,
  exactAccountSchema,
  exactContactSchema,
  exactCostCenterSchema,
  exactDivisionSchema,
  exactGLAccountSchema,
  exactItemSchema,
  exactSalesInvoiceLineSchema,
  exactSalesInvoiceSchema,
  exactTransactionLineSchema,
} from './records.ts';

const GUID = 'A1B2C3D4-0000-4000-8000-00000000000F';
// 2026-01-15 10:00 in Amsterdam (UTC+1 in winter) and 2026-07-15 10:00 (UTC+2 in summer), as Exact sends them.
const WINTER = `/Date(${Date.UTC(2026, 0, 15, 10)})/`;
const SUMMER = `/Date(${Date.UTC(2026, 6, 15, 10)})/`;

const schemas = {
  accounts: exactAccountSchema,
  contacts: exactContactSchema,
  salesInvoices: exactSalesInvoiceSchema,
  salesInvoiceLines: exactSalesInvoiceLineSchema,
  items: exactItemSchema,
  glAccounts: exactGLAccountSchema,
  costCenters: exactCostCenterSchema,
  transactionLines: exactTransactionLineSchema,
  divisions: exactDivisionSchema,
} as const;

const issuePaths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (result.error?.issues ?? []).map((issue) => issue.path.map(String).join('.'));

describe('record schemas', () => {
  it('read an account as Exact sends it: dates to UTC, codes trimmed, GUIDs lower-cased, Int64 as text', () => {
    const parsed = z.parse(exactAccountSchema, {
      __metadata: {
        uri: "https://start.exactonline.nl/api/v1/1/crm/Accounts(guid'…')",
        type: 'Exact.Web.Api.Models.Account',
      },
      ID: GUID,
      Code: '                 42',
      Name: 'Café "De Ster" {B.V.}',
      Email: null,
      IsSales: true,
      IsSupplier: false,
      Blocked: null,
      MainContact: null,
      Created: WINTER,
      Modified: SUMMER,
      Creator: GUID,
      Division: 1234567,
      Timestamp: '9223372036854775807',
      StartDate: '/Date(0)/',
    });
    expect(parsed).toMatchObject({
      ID: GUID.toLowerCase(),
      Code: '42',
      Name: 'Café "De Ster" {B.V.}',
      Email: null,
      Blocked: null,
      MainContact: null,
      Created: '2026-01-15T09:00:00.000Z',
      Modified: '2026-07-15T08:00:00.000Z',
      Creator: GUID.toLowerCase(),
      Timestamp: '9223372036854775807',
      // Fields outside the schema pass through untouched.
      StartDate: '/Date(0)/',
    });
    expect(parsed.__metadata).toMatchObject({ type: 'Exact.Web.Api.Models.Account' });
  });

  it('take a row version sent as a number or with a zone-offset date, and all-null records', () => {
    expect(
      z.parse(exactItemSchema, { Timestamp: 12345, Created: `/Date(${Date.UTC(2026, 0, 15, 10)}+0100)/` }),
    ).toEqual({ Timestamp: '12345', Created: '2026-01-15T09:00:00.000Z' });
    expect(z.parse(exactContactSchema, {})).toEqual({});
    const nulls = { ID: null, Code: null, Created: null, Timestamp: null, Division: null, AmountDC: null };
    expect(z.parse(exactGLAccountSchema, nulls)).toEqual(nulls);
    expect(
      z.parse(exactSalesInvoiceLineSchema, {
        Quantity: -2.5,
        UnitPrice: 0.1,
        AmountDC: -0.25,
        VATCode: '  2 ',
      }),
    ).toEqual({ Quantity: -2.5, UnitPrice: 0.1, AmountDC: -0.25, VATCode: '2' });
  });

  it('read a division: Code is required, Hid is Int64 text', () => {
    expect(
      z.parse(exactDivisionSchema, {
        Code: 1234567,
        Hid: '1001',
        Current: true,
        IsMainDivision: null,
        CustomerCode: '   100',
        Customer: GUID,
      }),
    ).toEqual({
      Code: 1234567,
      Hid: '1001',
      Current: true,
      IsMainDivision: null,
      CustomerCode: '100',
      Customer: GUID.toLowerCase(),
    });
    for (const bad of [{}, { Code: null }, { Code: '1234567' }, { Code: 1.5 }, { Code: 1, Hid: '1e3' }]) {
      expect(exactDivisionSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('refuse malformed fields, naming them', () => {
    const cases: [z.ZodMiniType, unknown, string][] = [
      [exactAccountSchema, { ID: 'not-a-guid' }, 'ID'],
      [exactAccountSchema, { ID: `{${GUID}}` }, 'ID'],
      [exactAccountSchema, { Created: '2026-01-15T10:00:00Z' }, 'Created'],
      [exactAccountSchema, { Modified: '/Date(abc)/' }, 'Modified'],
      [exactAccountSchema, { Modified: `/Date(${8_640_000_000_000_001})/` }, 'Modified'],
      [exactAccountSchema, { Modified: 1_700_000_000_000 }, 'Modified'],
      [exactAccountSchema, { Timestamp: '9223372036854775808' }, 'Timestamp'],
      [exactAccountSchema, { Timestamp: '12.0' }, 'Timestamp'],
      [exactAccountSchema, { Timestamp: 2 ** 53 }, 'Timestamp'],
      [exactAccountSchema, { Code: 42 }, 'Code'],
      [exactAccountSchema, { Name: 7 }, 'Name'],
      [exactAccountSchema, { IsSales: 'true' }, 'IsSales'],
      [exactAccountSchema, { Division: '1234567' }, 'Division'],
      [exactSalesInvoiceSchema, { InvoiceNumber: 1.5 }, 'InvoiceNumber'],
      [exactSalesInvoiceSchema, { AmountDC: '12.50' }, 'AmountDC'],
      [exactTransactionLineSchema, { FinancialYear: '2026' }, 'FinancialYear'],
      [exactCostCenterSchema, { Active: 1 }, 'Active'],
    ];
    for (const [schema, input, field] of cases) {
      const result = schema.safeParse(input);
      expect(result.success ? [field, 'accepted'] : issuePaths(result)).toEqual([field]);
    }
    for (const schema of Object.values(schemas)) {
      for (const input of [null, [], 'x', 1]) expect(schema.safeParse(input).success).toBe(false);
    }
  });
});

describe('DEFAULT_SELECT', () => {
  it('names only fields the schemas type, each once, for every entity', () => {
    expect(Object.keys(DEFAULT_SELECT).sort()).toEqual(Object.keys(schemas).sort());
    for (const [entity, fields] of Object.entries(DEFAULT_SELECT)) {
      const shape = schemas[entity as keyof typeof schemas].def.shape;
      expect(
        fields.filter((field) => !(field in shape)),
        entity,
      ).toEqual([]);
      expect(new Set(fields).size, entity).toBe(fields.length);
      for (const field of fields) expect(field, entity).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    }
  });

  it("selects each entity's key and its audit fields, never Timestamp (sync adds it)", () => {
    const keys: Record<keyof typeof DEFAULT_SELECT, string> = {
      accounts: 'ID',
      contacts: 'ID',
      salesInvoices: 'InvoiceID',
      salesInvoiceLines: 'ID',
      items: 'ID',
      glAccounts: 'ID',
      costCenters: 'ID',
      transactionLines: 'ID',
      divisions: 'Code',
    };
    for (const [entity, fields] of Object.entries(DEFAULT_SELECT) as [
      keyof typeof keys,
      readonly string[],
    ][]) {
      expect(fields[0], entity).toBe(keys[entity]);
      expect(fields, entity).not.toContain('Timestamp');
      if (entity !== 'divisions') {
        expect(fields, entity).toEqual(
          expect.arrayContaining(['Created', 'Creator', 'Modified', 'Modifier', 'Division']),
        );
      }
    }
  });

  it("names only properties the emulator's entities have (it refuses a $select of any other, as Exact does)", () => {
    const paths: Record<Exclude<keyof typeof DEFAULT_SELECT, 'divisions'>, string> = {
      accounts: 'crm/Accounts',
      contacts: 'crm/Contacts',
      salesInvoices: 'salesinvoice/SalesInvoices',
      salesInvoiceLines: 'salesinvoice/SalesInvoiceLines',
      items: 'logistics/Items',
      glAccounts: 'financial/GLAccounts',
      costCenters: 'hrm/CostCenters',
      transactionLines: 'financialtransaction/TransactionLines',
    };
    for (const [entity, path] of Object.entries(paths)) {
      const known = new Set(EXACT_ENTITIES.get(path)?.fields ?? []);
      const fields: readonly string[] = DEFAULT_SELECT[entity as keyof typeof paths];
      expect(
        fields.filter((field) => !known.has(field)),
        entity,
      ).toEqual([]);
    }
  });

  it('reads a record holding exactly the default fields of each entity', () => {
    for (const [entity, fields] of Object.entries(DEFAULT_SELECT)) {
      const record = Object.fromEntries(fields.map((field) => [field, null]));
      const schema = schemas[entity as keyof typeof schemas];
      // Every field may come back null except a division's Code.
      const input = entity === 'divisions' ? { ...record, Code: 1 } : record;
      expect(schema.safeParse(input).success, entity).toBe(true);
    }
  });
});
