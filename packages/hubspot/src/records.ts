import * as z from 'zod/mini';

// A property value as HubSpot answers it: always a string, or null when unset.
const value = z.nullable(z.string());

/** The properties of a record of any type: names to string values (null when unset). */
export const hubspotPropertiesSchema = z.record(z.string(), value);

const typed = <T extends z.core.$ZodLooseShape>(shape: T) => z.catchall(z.object(shape), value);
const known = (names: readonly string[]) =>
  Object.fromEntries(names.map((name) => [name, z.optional(value)])) as Record<
    string,
    z.ZodMiniOptional<typeof value>
  >;

const COMMON = ['hs_object_id', 'createdate', 'lastmodifieddate', 'hubspot_owner_id'] as const;

/** A contact's standard properties (others, including custom ones, are allowed). */
export const hubspotContactPropertiesSchema = typed(
  known([
    ...COMMON,
    'email',
    'firstname',
    'lastname',
    'phone',
    'company',
    'website',
    'lifecyclestage',
    'jobtitle',
    'city',
    'country',
  ]) as {
    [K in
      | (typeof COMMON)[number]
      | 'email'
      | 'firstname'
      | 'lastname'
      | 'phone'
      | 'company'
      | 'website'
      | 'lifecyclestage'
      | 'jobtitle'
      | 'city'
      | 'country']: z.ZodMiniOptional<typeof value>;
  },
);
/** A company's standard properties. */
export const hubspotCompanyPropertiesSchema = typed(
  known([
    ...COMMON,
    'name',
    'domain',
    'industry',
    'phone',
    'city',
    'country',
    'numberofemployees',
    'annualrevenue',
  ]) as {
    [K in
      | (typeof COMMON)[number]
      | 'name'
      | 'domain'
      | 'industry'
      | 'phone'
      | 'city'
      | 'country'
      | 'numberofemployees'
      | 'annualrevenue']: z.ZodMiniOptional<typeof value>;
  },
);
/** A deal's standard properties. */
export const hubspotDealPropertiesSchema = typed(
  known([...COMMON, 'dealname', 'amount', 'dealstage', 'pipeline', 'closedate']) as {
    [K in
      | (typeof COMMON)[number]
      | 'dealname'
      | 'amount'
      | 'dealstage'
      | 'pipeline'
      | 'closedate']: z.ZodMiniOptional<typeof value>;
  },
);
/** A ticket's standard properties. */
export const hubspotTicketPropertiesSchema = typed(
  known([...COMMON, 'subject', 'content', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_priority']) as {
    [K in
      | (typeof COMMON)[number]
      | 'subject'
      | 'content'
      | 'hs_pipeline'
      | 'hs_pipeline_stage'
      | 'hs_ticket_priority']: z.ZodMiniOptional<typeof value>;
  },
);

/** A schema of a record's properties: zod/mini, answering string-or-null values by name. */
export type HubSpotPropertiesSchema = z.ZodMiniType<Record<string, string | null>>;

/**
 * A CRM record as HubSpot answers it (`SimplePublicObject`), with its properties checked by `properties`:
 * `id`, `properties`, `createdAt`, `updatedAt`, `archived`, and on writes `objectWriteTraceId` and (upsert) `new`.
 * @example const contactSchema = hubspotRecordSchema(hubspotContactPropertiesSchema);
 */
export function hubspotRecordSchema<P extends HubSpotPropertiesSchema>(properties: P) {
  return z.looseObject({
    id: z.string(),
    properties,
    createdAt: z.optional(z.string()),
    updatedAt: z.optional(z.string()),
    archived: z.optional(z.boolean()),
    archivedAt: z.optional(z.string()),
    objectWriteTraceId: z.optional(z.string()),
    new: z.optional(z.boolean()),
  });
}

/** A record of any type (custom objects included). */
export type HubSpotRecord<P = Record<string, string | null>> = {
  id: string;
  properties: P;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
  archivedAt?: string;
  objectWriteTraceId?: string;
  new?: boolean;
};

/** A contact. */
export type HubSpotContact = HubSpotRecord<z.output<typeof hubspotContactPropertiesSchema>>;
/** A company. */
export type HubSpotCompany = HubSpotRecord<z.output<typeof hubspotCompanyPropertiesSchema>>;
/** A deal. */
export type HubSpotDeal = HubSpotRecord<z.output<typeof hubspotDealPropertiesSchema>>;
/** A ticket. */
export type HubSpotTicket = HubSpotRecord<z.output<typeof hubspotTicketPropertiesSchema>>;

/** What a caller may write as a property value; HubSpot stores strings, so numbers and booleans are sent as such. */
export type HubSpotPropertyValue = string | number | boolean | null;

/** Properties to write: names to values. */
export type HubSpotPropertiesInput = Record<string, HubSpotPropertyValue>;

/** The input schema of properties to write (names non-empty, values JSON scalars). */
export const hubspotPropertiesInputSchema = z.record(
  z.string().check(z.minLength(1), z.maxLength(500)),
  z.union([z.string(), z.number().check(z.refine(Number.isFinite, 'must be finite')), z.boolean(), z.null()]),
);
