import type { SyncObject } from '@patchbay/sync';
import {
  type CompanyRecord,
  companyInput,
  companyRecordSchema,
  comparableFromRemote,
  type PersonRecord,
  personInput,
  personRecordSchema,
} from './records.ts';

type Parsed<T extends { parse: (value: unknown) => unknown }> = ReturnType<T['parse']>;
type CompanyParsed = Parsed<typeof companyRecordSchema>;
type PersonParsed = Parsed<typeof personRecordSchema>;

/** A company: written as is. */
export const companyObject: SyncObject<CompanyRecord, CompanyParsed, ReturnType<typeof companyInput>> = {
  schema: companyRecordSchema,
  fields: ['externalId', 'name', 'website'],
  externalId: (record) => record.externalId,
  toInput: (record) => companyInput(record),
  comparable: (remote) => comparableFromRemote('company', remote as Record<string, unknown>),
};

/** A person: linked to its company, which is created (named `companyName`, else its id) when Twenty lacks it. */
export const personObject: SyncObject<PersonRecord, PersonParsed, ReturnType<typeof personInput>> = {
  schema: personRecordSchema,
  fields: ['externalId', 'name', 'email', 'companyExternalId', 'companyName'],
  externalId: (record) => record.externalId,
  parents: (record) =>
    record.companyExternalId
      ? [
          {
            type: 'company',
            externalId: record.companyExternalId,
            seed: {
              externalId: record.companyExternalId,
              name: record.companyName || record.companyExternalId,
            },
            field: 'companyExternalId',
          },
        ]
      : [],
  toInput: (record, parentIdOf) =>
    personInput(
      record,
      record.companyExternalId ? (parentIdOf('company', record.companyExternalId) ?? null) : null,
    ),
  comparable: (remote) => comparableFromRemote('person', remote as Record<string, unknown>),
};

/** Twenty's object types, parents first. */
export const TWENTY_SYNC_OBJECTS = { company: companyObject, person: personObject };
