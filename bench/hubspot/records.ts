// The records both clients sync: 10 000 contacts keyed by email and 1 000 companies keyed by your id (a custom
// unique property), each contact working at one company. Deterministic, so every run sends the same data.

/** The custom unique property companies are upserted by (the Patchbay sync's default). */
export const COMPANY_ID_PROPERTY = 'patchbay_external_id';

/** A company as your application has it. */
export interface BenchCompany {
  externalId: string;
  name: string;
  domain: string;
}

/** A contact as your application has it. */
export interface BenchContact {
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  companyExternalId: string;
}

/** `count` companies, `company-0` to `company-{count-1}`. */
export function benchCompanies(count: number): BenchCompany[] {
  return Array.from({ length: count }, (_, i) => ({
    externalId: `company-${i}`,
    name: `Company ${i}`,
    domain: `company-${i}.example.com`,
  }));
}

/** `count` contacts, contact `i` at company `i % companies`. */
export function benchContacts(count: number, companies: number): BenchContact[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `contact-${i}@example.com`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    phone: `+1555${String(i).padStart(7, '0')}`,
    companyExternalId: `company-${i % companies}`,
  }));
}
