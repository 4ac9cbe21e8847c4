// What the emulator holds after a sync, checked against what was sent: records lost or duplicated by external id,
// persons without their organization or with another one.
import type { EmulatorSummary } from './emulator.ts';
import type { BenchPerson } from './records.ts';

/** What is wrong in the emulator after a sync; all zeros when the sync landed exactly. */
export interface Landed {
  personsLost: number;
  personsDuplicated: number;
  organizationsLost: number;
  organizationsDuplicated: number;
  /** Persons the emulator has with no organization. */
  linksMissing: number;
  /** Persons linked to another organization than theirs. */
  linksWrong: number;
}

/** Compares the emulator's records with the `organizations` count and the `persons` sent. */
export function verifyLanded(
  seen: Pick<EmulatorSummary, 'persons' | 'organizations' | 'personOrganization'>,
  organizations: number,
  persons: readonly BenchPerson[],
): Landed {
  let linksMissing = 0;
  let linksWrong = 0;
  for (const person of persons) {
    if (!(person.externalId in seen.personOrganization)) continue; // a lost person, counted as such
    const org = seen.personOrganization[person.externalId];
    if (org === null) linksMissing++;
    else if (org !== person.organizationExternalId) linksWrong++;
  }
  // Records without the id field are duplicates of nothing: counted lost (their key) and as extra records.
  return {
    personsLost: Math.max(0, persons.length - seen.persons.distinctKeys),
    personsDuplicated: seen.persons.records - seen.persons.distinctKeys,
    organizationsLost: Math.max(0, organizations - seen.organizations.distinctKeys),
    organizationsDuplicated: seen.organizations.records - seen.organizations.distinctKeys,
    linksMissing,
    linksWrong,
  };
}

/** `lost / duplicated / links missing or wrong`, as the tables print it. */
export function landedText(landed: Landed): string {
  return `${landed.personsLost + landed.organizationsLost} / ${landed.personsDuplicated + landed.organizationsDuplicated} / ${landed.linksMissing + landed.linksWrong}`;
}
