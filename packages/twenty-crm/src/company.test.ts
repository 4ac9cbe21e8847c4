import { describe, expect, it } from 'vitest';
import { companyInputSchema, companySchema } from './company.ts';

describe('company schemas', () => {
  it('parses a record as Twenty returns it', () => {
    const record = {
      id: 'c1',
      name: 'Acme',
      domainName: { primaryLinkUrl: 'https://acme.test', primaryLinkLabel: '', secondaryLinks: null },
      employees: null,
      annualRecurringRevenue: { amountMicros: null, currencyCode: '' },
      externalId: 'company_1',
    };
    expect(companySchema.parse(record)).toEqual(record);
  });

  it('rejects negative or fractional employee counts', () => {
    expect(companyInputSchema.safeParse({ employees: -1 }).success).toBe(false);
    expect(companyInputSchema.safeParse({ employees: 1.5 }).success).toBe(false);
    expect(companyInputSchema.safeParse({ name: 'Acme', employees: 12, externalId: 'c1' }).success).toBe(
      true,
    );
  });
});
