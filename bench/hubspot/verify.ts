// What the emulator holds after a sync, checked against what was sent: records lost or duplicated, contacts
// without their company or with another one.
import type { EmulatorSummary } from './emulator.ts';
import type { BenchContact } from './records.ts';

/** What is wrong in the emulator after a sync; all zeros when the sync landed exactly. */
export interface Landed {
  contactsLost: number;
  contactsDuplicated: number;
  companiesLost: number;
  companiesDuplicated: number;
  /** Contacts the emulator has with no company associated. */
  associationsMissing: number;
  /** Contacts associated with another company than theirs, or with more than one. */
  associationsWrong: number;
}

/** Compares the emulator's records with the `companies` count and `contacts` sent. */
export function verifyLanded(
  seen: Pick<EmulatorSummary, 'contacts' | 'companies' | 'contactCompanies'>,
  companies: number,
  contacts: readonly BenchContact[],
): Landed {
  let associationsMissing = 0;
  let associationsWrong = 0;
  for (const contact of contacts) {
    const associated = seen.contactCompanies[contact.email];
    if (!associated) continue; // a lost contact, counted as such
    if (associated.length === 0) associationsMissing++;
    else if (associated.length > 1 || associated[0] !== contact.companyExternalId) associationsWrong++;
  }
  return {
    contactsLost: Math.max(0, contacts.length - seen.contacts.distinctKeys),
    contactsDuplicated: seen.contacts.records - seen.contacts.distinctKeys,
    companiesLost: Math.max(0, companies - seen.companies.distinctKeys),
    companiesDuplicated: seen.companies.records - seen.companies.distinctKeys,
    associationsMissing,
    associationsWrong,
  };
}
