import type { SyncObject } from '@patchbay/sync';
import type * as z from 'zod/mini';
import {
  comparableContacts,
  contactsOf,
  EXTERNAL_ID_NAME,
  type OrganizationRecord,
  organizationRecordSchema,
  type PersonRecord,
  type PipedriveSyncInput,
  personRecordSchema,
} from './records.ts';

/** The sync's object types and the client resource each is written through. */
export const PIPEDRIVE_SYNC_RESOURCES = { organization: 'organizations', person: 'persons' } as const;

/** A sync type: `organization` (parents) or `person`. */
export type PipedriveSyncType = keyof typeof PIPEDRIVE_SYNC_RESOURCES;

type OrganizationParsed = z.output<typeof organizationRecordSchema>;
type PersonParsed = z.output<typeof personRecordSchema>;

// A record as the client reads it: `custom` by the client's names (the external id under EXTERNAL_ID_NAME).
interface ReadRecord {
  name?: unknown;
  emails?: unknown;
  phones?: unknown;
  org_id?: unknown;
  custom?: Record<string, unknown>;
}

const externalIdOf = (record: ReadRecord): string => {
  const value = record?.custom?.[EXTERNAL_ID_NAME];
  return typeof value === 'string' ? value : '';
};
const nameOf = (record: ReadRecord) => (typeof record?.name === 'string' ? record.name : '');

/** The organization's input: its name and external id. */
export const organizationObject: SyncObject<OrganizationRecord, OrganizationParsed, PipedriveSyncInput> = {
  schema: organizationRecordSchema,
  fields: ['externalId', 'name'],
  externalId: (record) => record.externalId,
  toInput: (record) => ({ name: record.name, custom: { [EXTERNAL_ID_NAME]: record.externalId } }),
  comparable: (remote) => {
    const record = remote as ReadRecord;
    return { name: nameOf(record), custom: { [EXTERNAL_ID_NAME]: externalIdOf(record) } };
  },
};

/**
 * The person's input: name, one primary email and phone, its organization (created first when missing) and
 * external id. The sync owns these fields: a value the record lacks is cleared in Pipedrive.
 */
export const personObject: SyncObject<PersonRecord, PersonParsed, PipedriveSyncInput> = {
  schema: personRecordSchema,
  fields: ['externalId', 'name', 'email', 'phone', 'organizationExternalId', 'organizationName'],
  externalId: (record) => record.externalId,
  parents: (record) =>
    record.organizationExternalId
      ? [
          {
            type: 'organization',
            externalId: record.organizationExternalId,
            seed: {
              externalId: record.organizationExternalId,
              name: record.organizationName || record.organizationExternalId,
            },
            field: 'organizationExternalId',
          },
        ]
      : [],
  toInput: (record, parentIdOf) => {
    const orgId = record.organizationExternalId
      ? parentIdOf('organization', record.organizationExternalId)
      : undefined;
    return {
      name: record.name,
      emails: contactsOf(record.email),
      phones: contactsOf(record.phone),
      org_id: orgId === undefined ? null : Number(orgId),
      custom: { [EXTERNAL_ID_NAME]: record.externalId },
    };
  },
  comparable: (remote) => {
    // `?? {}` as for organizations: a record that is not an object reads as empty, not a TypeError.
    const record = (remote ?? {}) as ReadRecord;
    return {
      name: nameOf(record),
      emails: comparableContacts(record.emails),
      phones: comparableContacts(record.phones),
      org_id: typeof record.org_id === 'number' ? record.org_id : null,
      custom: { [EXTERNAL_ID_NAME]: externalIdOf(record) },
    };
  },
};
