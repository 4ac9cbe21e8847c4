// The records this package reads, as Exact Online's OData v2 JSON has them. Every field is optional: `$select`
// decides which ones come back. Fields outside the schema that a caller selects pass through as `unknown`.
import * as z from 'zod/mini';
import { exactCode, exactDateTime, exactGuid, exactInt64 } from './odata.ts';

const text = z.optional(z.nullable(z.string()));
const flag = z.optional(z.nullable(z.boolean()));
const int = z.optional(z.nullable(z.int()));
const guid = z.optional(exactGuid);
const date = z.optional(exactDateTime);

/** An account (`crm/Accounts`): a customer, prospect, suspect or supplier. */
export const exactAccountSchema = z.looseObject({
  ID: guid,
  Code: z.optional(exactCode),
  Name: text,
  Email: text,
  Phone: text,
  Website: text,
  AddressLine1: text,
  AddressLine2: text,
  Postcode: text,
  City: text,
  State: text,
  Country: text,
  VATNumber: text,
  ChamberOfCommerce: text,
  /** `C` customer, `P` prospect, `S` suspect, `A` none. */
  Status: text,
  IsSupplier: flag,
  Blocked: flag,
  MainContact: guid,
  Language: text,
  Remarks: text,
  Division: int,
  Created: date,
  Modified: date,
  /** Row version (Int64 as decimal text), on bulk and sync reads. */
  Timestamp: z.optional(exactInt64),
});

/** An account as read (the fields selected). */
export type ExactAccount = z.output<typeof exactAccountSchema>;

/** A contact person (`crm/Contacts`) of an account. */
export const exactContactSchema = z.looseObject({
  ID: guid,
  Account: guid,
  AccountName: text,
  FirstName: text,
  MiddleName: text,
  LastName: text,
  FullName: text,
  Initials: text,
  Email: text,
  Phone: text,
  Mobile: text,
  BusinessPhone: text,
  JobTitleDescription: text,
  Gender: text,
  BirthDate: date,
  IsMainContact: flag,
  Notes: text,
  Division: int,
  Created: date,
  Modified: date,
  Timestamp: z.optional(exactInt64),
});

/** A contact as read (the fields selected). */
export type ExactContact = z.output<typeof exactContactSchema>;

/** A division (administration) of the user's licence (`system/Divisions`). */
export const exactDivisionSchema = z.looseObject({
  /** The division number every API path carries. */
  Code: z.int(),
  Description: text,
  HID: z.optional(exactInt64),
  Current: flag,
  Main: flag,
  Blocked: flag,
  Country: text,
  Currency: text,
  Status: int,
  Customer: guid,
  CustomerName: text,
});

/** A division as read. */
export type ExactDivision = z.output<typeof exactDivisionSchema>;

/** The fields of a schema, in order: the default `$select` (Exact answers every field without one). */
export function fieldsOf(schema: { def: { shape: Record<string, unknown> } }): string[] {
  return Object.keys(schema.def.shape);
}

/** The account fields this package types, for `$select`. */
export type ExactAccountField = keyof typeof exactAccountSchema.def.shape & string;
/** The contact fields this package types, for `$select`. */
export type ExactContactField = keyof typeof exactContactSchema.def.shape & string;
