import { describe, expect, it } from 'vitest';
import { EXACT_ENTITIES, entity, entityAt } from './entities.ts';

describe('Exact entities', () => {
  it('finds entities by REST, sync and bulk path in any case', () => {
    expect(entityAt('rest', 'CRM/accounts')?.path).toBe('crm/Accounts');
    expect(entityAt('sync', 'crm/Accounts')?.path).toBe('crm/Accounts');
    expect(entityAt('sync', 'SalesInvoice/SalesInvoices')?.key).toBe('InvoiceID');
    expect(entityAt('bulk', 'SalesInvoice/SalesInvoiceLines')?.readOnlyEntity).toBe(true);
    expect(entityAt('bulk', 'salesinvoice/salesinvoices')?.key).toBe('InvoiceID');
    expect(entityAt('sync', 'hrm/CostCenters')).toBeUndefined();
    expect(() => entity('crm/Nope')).toThrow(RangeError);
  });

  it("keeps picqer's sync/Deleted EntityType codes, and every key among the entity's fields", () => {
    const codes = Object.fromEntries([...EXACT_ENTITIES.values()].map((def) => [def.path, def.deletedType]));
    expect(codes).toMatchObject({
      'financialtransaction/TransactionLines': 1,
      'crm/Accounts': 2,
      'crm/Contacts': 5,
      'financial/GLAccounts': 7,
      'logistics/Items': 9,
      'salesinvoice/SalesInvoices': 13,
    });
    for (const def of EXACT_ENTITIES.values()) expect(def.fields).toContain(def.key);
  });
});
