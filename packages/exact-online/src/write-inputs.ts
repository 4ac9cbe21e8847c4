// What a create or an update may send, checked before any request. Field names are Exact's (its reference pages,
// as picqer/exact-php-client's Account.php, Contact.php, SalesInvoice.php and SalesInvoiceLine.php mirror them).
// Only the common fields are typed; other Exact properties pass through when their value is a JSON primitive (Exact
// refuses nested values on these entities, and a name it does not have with its own 400).
import * as z from 'zod/mini';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Exact's dates are Dutch wall-clock time: a date, or a date and time without a zone.
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?$/;

const guid = z.string().check(z.regex(GUID, 'must be a GUID'));
const text = (max: number) =>
  z.nullable(z.string().check(z.maxLength(max, `must be at most ${max} characters`)));
const finite = z
  .number()
  .check(z.refine((value) => Number.isFinite(value) && Math.abs(value) < 1e15, 'must be a finite number'));
const localDate = z
  .string()
  .check(
    z.regex(LOCAL_DATE, 'must be a date (YYYY-MM-DD) or local time (YYYY-MM-DDTHH:mm:ss) without a zone'),
  );
// Other Exact properties, typed loosely (checked as primitives at run time).
type OtherFields = { [field: string]: unknown };
// Any other property: a primitive (Exact refuses nested values here).
const other = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const accountFields = {
  Name: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(255)),
  Code: z.optional(z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(18))),
  SearchCode: z.optional(text(10)),
  Email: z.optional(text(255)),
  Phone: z.optional(text(30)),
  Website: z.optional(text(255)),
  AddressLine1: z.optional(text(255)),
  AddressLine2: z.optional(text(255)),
  Postcode: z.optional(text(20)),
  City: z.optional(text(50)),
  State: z.optional(text(2)),
  Country: z.optional(text(2)),
  VATNumber: z.optional(text(20)),
  ChamberOfCommerce: z.optional(text(30)),
  /** `C` customer, `P` prospect, `S` suspect, `A` none. */
  Status: z.optional(z.enum(['C', 'P', 'S', 'A'], { error: 'must be C, P, S or A' })),
  IsSales: z.optional(z.boolean()),
  IsSupplier: z.optional(z.boolean()),
  Blocked: z.optional(z.boolean()),
  MainContact: z.optional(z.nullable(guid)),
  Language: z.optional(text(10)),
  Remarks: z.optional(text(10_000)),
};

/** A new account: `Name` is required. */
export const exactAccountCreateSchema = z.catchall(z.object(accountFields), other);
/** A new account (`accounts.create`). */
export type ExactAccountCreate = z.input<z.ZodMiniObject<typeof accountFields>> & OtherFields;

/** Changes to an account: any of its writable fields. */
export const exactAccountChangesSchema = z.catchall(z.partial(z.object(accountFields)), other);
/** Changes to an account (`accounts.update`). */
export type ExactAccountChanges = Partial<ExactAccountCreate>;

const contactFields = {
  /** The account the contact belongs to (required on create). */
  Account: guid,
  FirstName: z.optional(text(50)),
  MiddleName: z.optional(text(50)),
  LastName: z.optional(text(50)),
  Initials: z.optional(text(50)),
  Email: z.optional(text(255)),
  BusinessEmail: z.optional(text(255)),
  Phone: z.optional(text(30)),
  Mobile: z.optional(text(30)),
  BusinessPhone: z.optional(text(30)),
  JobTitleDescription: z.optional(text(50)),
  Gender: z.optional(text(1)),
  BirthDate: z.optional(z.nullable(localDate)),
  IsMainContact: z.optional(z.boolean()),
  Notes: z.optional(text(10_000)),
};

/** A new contact: `Account` is required. */
export const exactContactCreateSchema = z.catchall(z.object(contactFields), other);
/** A new contact (`contacts.create`). */
export type ExactContactCreate = z.input<z.ZodMiniObject<typeof contactFields>> & OtherFields;

/** Changes to a contact: any of its writable fields. */
export const exactContactChangesSchema = z.catchall(z.partial(z.object(contactFields)), other);
/** Changes to a contact (`contacts.update`). */
export type ExactContactChanges = Partial<ExactContactCreate>;

/** A line of a new sales invoice: `Item` is required. */
export const exactSalesInvoiceLineCreateSchema = z.catchall(
  z.object({
    Item: guid,
    Description: z.optional(text(100)),
    Quantity: z.optional(finite),
    UnitPrice: z.optional(finite),
    NetPrice: z.optional(finite),
    Discount: z.optional(finite),
    VATCode: z.optional(text(3)),
    GLAccount: z.optional(guid),
    CostCenter: z.optional(text(8)),
    CostUnit: z.optional(text(8)),
    DeliveryDate: z.optional(localDate),
    Notes: z.optional(text(10_000)),
  }),
  other,
);
/** A line of a new sales invoice. */
export type ExactSalesInvoiceLineCreate = z.input<
  z.ZodMiniObject<(typeof exactSalesInvoiceLineCreateSchema)['shape']>
> &
  OtherFields;

/** A new sales invoice with its lines: Exact takes the lines only in the same request. */
export const exactSalesInvoiceCreateSchema = z.catchall(
  z.object({
    /** The customer who ordered (an account's ID). */
    OrderedBy: guid,
    /** The sales journal's code, e.g. `70`. */
    Journal: z.string().check(z.regex(/^\S{1,10}$/, 'must be a journal code (1 to 10 characters)')),
    InvoiceTo: z.optional(guid),
    DeliverTo: z.optional(guid),
    InvoiceDate: z.optional(localDate),
    Description: z.optional(text(60)),
    Currency: z.optional(z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'))),
    YourRef: z.optional(text(30)),
    PaymentCondition: z.optional(text(2)),
    /** 8020 sales invoice, 8021 sales credit note. */
    Type: z.optional(z.int()),
    SalesInvoiceLines: z
      .array(exactSalesInvoiceLineCreateSchema)
      .check(
        z.minLength(1, 'must hold at least one line'),
        z.maxLength(1_000, 'must hold at most 1 000 lines'),
      ),
  }),
  other,
);
/** A new sales invoice (`salesInvoices.create`). */
export type ExactSalesInvoiceCreate = Omit<
  z.input<z.ZodMiniObject<(typeof exactSalesInvoiceCreateSchema)['shape']>>,
  'SalesInvoiceLines'
> & { SalesInvoiceLines: ExactSalesInvoiceLineCreate[] } & OtherFields;
