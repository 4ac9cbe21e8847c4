import * as z from 'zod/mini';

// A property value as HubSpot answers it: always a string, or null when unset.
const value = z.nullable(z.string());

/** The properties of a record of any type: names to string values (null when unset). */
export const hubspotPropertiesSchema = z.record(z.string(), value);

const v = z.optional(value);
// Every type's bookkeeping properties, read on each of them.
const common = { hs_object_id: v, createdate: v, lastmodifieddate: v, hubspot_owner_id: v };

/** A contact's standard properties (others, custom ones included, are allowed as strings or null). */
export const hubspotContactPropertiesSchema = z.catchall(
  z.object({
    ...common,
    email: v,
    firstname: v,
    lastname: v,
    phone: v,
    company: v,
    website: v,
    lifecyclestage: v,
    jobtitle: v,
    city: v,
    country: v,
  }),
  value,
);
/** A company's standard properties. */
export const hubspotCompanyPropertiesSchema = z.catchall(
  z.object({
    ...common,
    name: v,
    domain: v,
    industry: v,
    phone: v,
    city: v,
    country: v,
    numberofemployees: v,
    annualrevenue: v,
  }),
  value,
);
/** A deal's standard properties. */
export const hubspotDealPropertiesSchema = z.catchall(
  z.object({ ...common, dealname: v, amount: v, dealstage: v, pipeline: v, closedate: v }),
  value,
);
/** A ticket's standard properties. */
export const hubspotTicketPropertiesSchema = z.catchall(
  z.object({
    ...common,
    subject: v,
    content: v,
    hs_pipeline: v,
    hs_pipeline_stage: v,
    hs_ticket_priority: v,
  }),
  value,
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
