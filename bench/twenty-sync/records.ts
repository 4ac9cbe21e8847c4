// The records the sync benchmark writes: the same ids and contents in every process and phase.
import type { CompanyRecord, PersonRecord } from '@patchbay/twenty-crm';

const pad = (n: number) => String(n).padStart(6, '0');

export const companyId = (i: number) => `company-${pad(i)}`;

export function company(i: number): CompanyRecord {
  return { externalId: companyId(i), name: `Company ${i}`, website: `https://company-${i}.example.com` };
}

/** Person `i`, working for one of `companies` companies. */
export function person(i: number, companies: number): PersonRecord {
  return {
    externalId: `person-${pad(i)}`,
    name: `Ada Lovelace ${i}`,
    email: `ada.${i}@example.com`,
    companyExternalId: companyId(i % companies),
    companyName: `Company ${i % companies}`,
  };
}

export const companies = (count: number) => Array.from({ length: count }, (_, i) => company(i));
export const people = (count: number, companyCount: number) =>
  Array.from({ length: count }, (_, i) => person(i, companyCount));
