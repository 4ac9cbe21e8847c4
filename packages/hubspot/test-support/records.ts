// The records the sync contract and its worker processes sync: the same ids and contents in every process, so a
// resumed worker sends exactly what the killed one was sending. Contacts are keyed by email (the default), so
// their `externalId` is their (lower-case) email.
import type { CompanyRecord, ContactRecord } from '../src/sync/records.ts';

const pad = (n: number) => String(n).padStart(5, '0');

/** `count` companies, `company-00000`…. */
export function companies(count: number): CompanyRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    externalId: `company-${pad(i)}`,
    name: `Company ${i}`,
    domain: `company-${i}.example.com`,
  }));
}

/** `count` contacts, `ada.00000@example.com`…, spread over `companyCount` companies (0: no company). */
export function contacts(count: number, companyCount = 100): ContactRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    externalId: `ada.${pad(i)}@example.com`,
    email: `ada.${pad(i)}@example.com`,
    name: `Ada Lovelace ${i}`,
    companyExternalId: companyCount > 0 ? `company-${pad(i % companyCount)}` : null,
    companyName: companyCount > 0 ? `Company ${i % companyCount}` : null,
  }));
}

/** The contract's records of a type: contacts spread over `counts.company` companies. */
export function hubspotRecords(type: string, count: number, counts: Record<string, number>): unknown[] {
  return type === 'company' ? companies(count) : contacts(count, counts.company ?? 0);
}
