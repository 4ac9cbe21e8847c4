import type { SyncObject } from '@patchbay/sync';
import type * as z from 'zod/mini';
import type { HubSpotAssociationType } from '../associations.ts';
import {
  type CompanyRecord,
  type ContactRecord,
  companyRecordSchema,
  comparableOf,
  contactByEmailSchema,
  contactByIdSchema,
  type HubSpotSyncInput,
  namesOf,
  normaliseEmail,
  propertiesOf,
} from './records.ts';

/** The custom unique property companies are keyed by unless told otherwise. */
export const DEFAULT_COMPANY_ID_PROPERTY = 'patchbay_external_id';

/** How one sync type maps onto HubSpot: its object type, the unique property it is keyed by, what is read back. */
export interface HubSpotSyncType {
  /** HubSpot's object type: `contacts`, `companies`. */
  objectType: string;
  /** The unique property holding the external id (`email`, or a custom one with `hasUniqueValue`). */
  idProperty: string;
  /** The properties a lookup reads back, to compare with what would be sent. */
  properties: readonly string[];
  /** Another type this one is associated with after each write (a contact with its company). */
  association?: { toObjectType: string; type: HubSpotAssociationType | 'default' };
}

/** Options of {@link hubspotSyncTypes}. */
export interface HubSpotSyncTypesOptions {
  /** `email` (default) or a custom unique property holding your contact ids. */
  contactIdProperty: string;
  /** The custom unique property holding your company ids. */
  companyIdProperty: string;
  /** The contact → company association written: `default` (HubSpot's unlabelled one) or a labelled type. */
  contactCompanyAssociation: HubSpotAssociationType | 'default';
}

type CompanyParsed = z.output<typeof companyRecordSchema>;
type ContactParsed = z.output<typeof contactByEmailSchema>;

const COMPANY_PROPERTIES = ['name', 'domain', 'website', 'phone'];
const CONTACT_PROPERTIES = ['email', 'firstname', 'lastname', 'phone'];

/**
 * The sync's object types, parents first: `company` keyed by a custom unique property, `contact` keyed by its
 * email or a custom unique property, linked to its company (created when missing, then associated). Also what
 * the remote needs to know of each.
 */
export function hubspotSyncTypes(options: HubSpotSyncTypesOptions): {
  objects: {
    company: SyncObject<CompanyRecord, CompanyParsed, HubSpotSyncInput>;
    contact: SyncObject<ContactRecord, ContactParsed, HubSpotSyncInput>;
  };
  types: Record<'company' | 'contact', HubSpotSyncType>;
} {
  const { companyIdProperty, contactIdProperty, contactCompanyAssociation } = options;
  const byEmail = contactIdProperty === 'email';
  const companyProperties = [companyIdProperty, ...COMPANY_PROPERTIES];
  const contactProperties = byEmail ? CONTACT_PROPERTIES : [contactIdProperty, ...CONTACT_PROPERTIES];

  const company: SyncObject<CompanyRecord, CompanyParsed, HubSpotSyncInput> = {
    schema: companyRecordSchema,
    fields: ['externalId', 'name', 'domain', 'website', 'phone'],
    externalId: (record) => record.externalId,
    toInput: (record) => ({
      properties: propertiesOf({
        [companyIdProperty]: record.externalId,
        name: record.name,
        domain: record.domain,
        website: record.website,
        phone: record.phone,
      }),
    }),
    comparable: (remote) => comparableOf(remote, companyProperties, false),
  };

  const contactId = (record: ContactParsed) =>
    byEmail ? normaliseEmail(record.email) : (record.externalId ?? '');

  const contact: SyncObject<ContactRecord, ContactParsed, HubSpotSyncInput> = {
    // A custom key needs your id on every record; by email, the email is the key.
    schema: (byEmail ? contactByEmailSchema : contactByIdSchema) as typeof contactByEmailSchema,
    fields: [
      'externalId',
      'email',
      'name',
      'firstName',
      'lastName',
      'phone',
      'companyExternalId',
      'companyName',
    ],
    externalId: contactId,
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
    toInput: (record, parentIdOf) => ({
      properties: propertiesOf({
        ...(byEmail ? {} : { [contactIdProperty]: contactId(record) }),
        email: normaliseEmail(record.email),
        ...namesOf(record),
        phone: record.phone,
      }),
      associate: record.companyExternalId ? (parentIdOf('company', record.companyExternalId) ?? null) : null,
    }),
    comparable: (remote) => comparableOf(remote, contactProperties, true),
  };

  return {
    objects: { company, contact },
    types: {
      company: { objectType: 'companies', idProperty: companyIdProperty, properties: companyProperties },
      contact: {
        objectType: 'contacts',
        idProperty: contactIdProperty,
        properties: contactProperties,
        association: { toObjectType: 'companies', type: contactCompanyAssociation },
      },
    },
  };
}
