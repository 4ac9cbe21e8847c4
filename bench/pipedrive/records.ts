// The records both clients sync: 1 000 organizations and 10 000 persons, each keyed by your id in a custom
// "Patchbay external ID" field (Pipedrive has no unique property to upsert by), each person at one organization.
// Deterministic, so every run sends the same data.

/** The custom field holding your id, on persons and organizations (the Patchbay sync's default name). */
export const ID_FIELD_NAME = 'Patchbay external ID';

/** The field's 40-hex key per entity, fixed so the SDK's loop can hard-code it as a user copies it from settings. */
export const ID_FIELD_KEYS = {
  person: 'b1a7c0de0000000000000000000000000000e1d0',
  organization: 'b1a7c0de0000000000000000000000000000e1d1',
} as const;

/** An organization as your application has it. */
export interface BenchOrganization {
  externalId: string;
  name: string;
}

/** A person as your application has it. */
export interface BenchPerson {
  externalId: string;
  name: string;
  email: string;
  phone: string;
  organizationExternalId: string;
}

/** `count` organizations, `org-0` to `org-{count-1}`. */
export function benchOrganizations(count: number): BenchOrganization[] {
  return Array.from({ length: count }, (_, i) => ({
    externalId: `org-${i}`,
    name: `Organization ${i}`,
  }));
}

/** `count` persons, person `i` at organization `i % organizations`. */
export function benchPersons(count: number, organizations: number): BenchPerson[] {
  return Array.from({ length: count }, (_, i) => ({
    externalId: `person-${i}`,
    name: `Person ${i}`,
    email: `person-${i}@example.com`,
    phone: `+372${String(i).padStart(7, '0')}`,
    organizationExternalId: `org-${i % organizations}`,
  }));
}
