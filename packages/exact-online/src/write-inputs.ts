// What a create or an update may send, checked before any request. Field names are Exact's (its reference pages,
// as picqer/exact-php-client's Account.php, Contact.php, SalesInvoice.php and SalesInvoiceLine.php mirror them).
// The types name the common fields; at run time the checks are the ones Exact cannot make for us or makes
// expensively (each 400 counts against the hourly error budget): required fields, GUIDs, dates, one-letter codes,
// and every other value a JSON primitive (Exact refuses nested values on these entities). Lengths and the names of
// other properties are left to Exact's own 400, which keeps the client bundle small.
import * as z from 'zod/mini';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Exact's dates are Dutch wall-clock time: a date, or a date and time without a zone.
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?$/;

const guid = z.string().check(z.regex(GUID, 'must be a GUID'));
const localDate = z
  .string()
  .check(z.regex(LOCAL_DATE, 'must be local time: YYYY-MM-DD[THH:mm[:ss]], no zone'));
const nonEmpty = z.string().check(z.minLength(1, 'must not be empty'));
// Any other property: a primitive (text, number, boolean or null).
const other = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const loose = <S extends z.core.$ZodLooseShape>(shape: S) => z.catchall(z.object(shape), other);

/** Other Exact properties: a string, number, boolean or null each. */
export type ExactOtherFields = { [field: string]: unknown };

/** A new account (`accounts.create`): `Name` is required. */
export interface ExactAccountCreate extends ExactOtherFields {
  Name: string;
  /** Default: the next number Exact hands out. */
  Code?: string;
  SearchCode?: string | null;
  Email?: string | null;
  Phone?: string | null;
  Website?: string | null;
  AddressLine1?: string | null;
  AddressLine2?: string | null;
  Postcode?: string | null;
  City?: string | null;
  State?: string | null;
  /** ISO 3166 code, e.g. `NL`. */
  Country?: string | null;
  VATNumber?: string | null;
  ChamberOfCommerce?: string | null;
  /** `C` customer, `P` prospect, `S` suspect, `A` none. */
  Status?: 'C' | 'P' | 'S' | 'A';
  IsSales?: boolean;
  IsSupplier?: boolean;
  Blocked?: boolean;
  MainContact?: string | null;
  Language?: string | null;
  Remarks?: string | null;
}
/** Changes to an account (`accounts.update`): some of its writable fields. */
export type ExactAccountChanges = Partial<ExactAccountCreate>;

const accountChecks = {
  Status: z.optional(z.enum(['C', 'P', 'S', 'A'], { error: 'must be C, P, S or A' })),
  MainContact: z.optional(z.nullable(guid)),
};
/** The run-time check of a new account. */
export const exactAccountCreateSchema = loose({ Name: nonEmpty, ...accountChecks });
/** The run-time check of an account's changes. */
export const exactAccountChangesSchema = loose({ Name: z.optional(nonEmpty), ...accountChecks });

/** A new contact (`contacts.create`): `Account` is required. */
export interface ExactContactCreate extends ExactOtherFields {
  /** The account the contact belongs to. */
  Account: string;
  FirstName?: string | null;
  MiddleName?: string | null;
  LastName?: string | null;
  Initials?: string | null;
  Email?: string | null;
  BusinessEmail?: string | null;
  Phone?: string | null;
  Mobile?: string | null;
  BusinessPhone?: string | null;
  JobTitleDescription?: string | null;
  Gender?: string | null;
  /** Dutch local date, `YYYY-MM-DD`. */
  BirthDate?: string | null;
  IsMainContact?: boolean;
  Notes?: string | null;
}
/** Changes to a contact (`contacts.update`). */
export type ExactContactChanges = Partial<ExactContactCreate>;

const contactChecks = { BirthDate: z.optional(z.nullable(localDate)) };
/** The run-time check of a new contact. */
export const exactContactCreateSchema = loose({ Account: guid, ...contactChecks });
/** The run-time check of a contact's changes. */
export const exactContactChangesSchema = loose({ Account: z.optional(guid), ...contactChecks });

/** A line of a new sales invoice: `Item` is required. */
export interface ExactSalesInvoiceLineCreate extends ExactOtherFields {
  Item: string;
  Description?: string | null;
  Quantity?: number;
  UnitPrice?: number;
  NetPrice?: number;
  Discount?: number;
  VATCode?: string | null;
  GLAccount?: string;
  CostCenter?: string | null;
  CostUnit?: string | null;
  /** Dutch local date, `YYYY-MM-DD`. */
  DeliveryDate?: string;
  Notes?: string | null;
}

/** The run-time check of a sales invoice line. */
export const exactSalesInvoiceLineCreateSchema = loose({
  Item: guid,
  Quantity: z.optional(z.number()),
  UnitPrice: z.optional(z.number()),
  GLAccount: z.optional(guid),
  DeliveryDate: z.optional(localDate),
});

/** A new sales invoice with its lines (`salesInvoices.create`): Exact takes the lines only in the same request. */
export interface ExactSalesInvoiceCreate extends ExactOtherFields {
  /** The customer who ordered (an account's ID). */
  OrderedBy: string;
  /** The sales journal's code, e.g. `70`. */
  Journal: string;
  InvoiceTo?: string;
  DeliverTo?: string;
  /** Dutch local date, `YYYY-MM-DD`. */
  InvoiceDate?: string;
  Description?: string | null;
  /** ISO 4217, e.g. `EUR`. */
  Currency?: string;
  YourRef?: string | null;
  PaymentCondition?: string | null;
  /** 8020 sales invoice, 8021 sales credit note. */
  Type?: number;
  SalesInvoiceLines: ExactSalesInvoiceLineCreate[];
}

/** The run-time check of a new sales invoice. */
export const exactSalesInvoiceCreateSchema = loose({
  OrderedBy: guid,
  Journal: nonEmpty,
  InvoiceTo: z.optional(guid),
  DeliverTo: z.optional(guid),
  InvoiceDate: z.optional(localDate),
  SalesInvoiceLines: z
    .array(exactSalesInvoiceLineCreateSchema)
    .check(
      z.minLength(1, 'must hold at least one line'),
      z.maxLength(1_000, 'must hold at most 1 000 lines'),
    ),
});
