// The records the sync contract and its worker processes sync: the same ids and contents in every process, so
// a resumed worker sends exactly what the killed one was sending.
import type { CompanyRecord, PersonRecord } from '../src/sync/records.ts';

const pad = (n: number) => String(n).padStart(5, '0');

/** `count` companies, `company-00000`…. */
export function companies(count: number): CompanyRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    externalId: `company-${pad(i)}`,
    name: `Company ${i}`,
    website: `https://company-${i}.example.com`,
  }));
}

/** `count` people, `person-00000`…, spread over `companyCount` companies (0: no company). */
export function people(count: number, companyCount = 100): PersonRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    externalId: `person-${pad(i)}`,
    name: `Ada Lovelace ${i}`,
    email: `ada.${i}@example.com`,
    companyExternalId: companyCount > 0 ? `company-${pad(i % companyCount)}` : null,
    companyName: companyCount > 0 ? `Company ${i % companyCount}` : null,
  }));
}

/** The contract's records of a type: people spread over `counts.company` companies. */
export function twentyRecords(type: string, count: number, counts: Record<string, number>): unknown[] {
  return type === 'company' ? companies(count) : people(count, counts.company ?? 0);
}
