// The records this package reads, as Exact Online's OData v2 JSON has them. Every field is optional: `$select`
// decides which ones come back. Fields outside the schema that a caller selects pass through as `unknown`. Field
// names are Exact's (its reference pages, as mirrored in picqer/exact-php-client's entity classes).
import * as z from 'zod/mini';
import { exactCode, exactDateTime, exactGuid, exactInt64 } from './odata.ts';

const text = z.optional(z.nullable(z.string()));
const flag = z.optional(z.nullable(z.boolean()));
const int = z.optional(z.nullable(z.int()));
const amount = z.optional(z.nullable(z.number()));
const guid = z.optional(exactGuid);
const date = z.optional(exactDateTime);
const code = z.optional(exactCode);

// Every entity's audit fields.
const audit = {
  Created: date,
  Creator: guid,
  Modified: date,
  Modifier: guid,
  Division: int,
  /** Row version (Int64 as decimal text), on sync reads. */
  Timestamp: z.optional(exactInt64),
};
const AUDIT_SELECT = ['Created', 'Creator', 'Modified', 'Modifier', 'Division'] as const;

/** An account (`crm/Accounts`): a customer, prospect, suspect or supplier. */
export const exactAccountSchema = z.looseObject({
  ID: guid,
  Code: code,
  Name: text,
  SearchCode: text,
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
  IsSales: flag,
  IsSupplier: flag,
  Blocked: flag,
  MainContact: guid,
  Language: text,
  Remarks: text,
  ...audit,
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
  BusinessEmail: text,
  Phone: text,
  Mobile: text,
  BusinessPhone: text,
  JobTitleDescription: text,
  Gender: text,
  BirthDate: date,
  IsMainContact: flag,
  Notes: text,
  ...audit,
});

/** A contact as read (the fields selected). */
export type ExactContact = z.output<typeof exactContactSchema>;

/** A sales invoice (`salesinvoice/SalesInvoices`, key `InvoiceID`); its lines are read with `lines(invoiceId)`. */
export const exactSalesInvoiceSchema = z.looseObject({
  InvoiceID: guid,
  InvoiceNumber: int,
  InvoiceTo: guid,
  OrderedBy: guid,
  InvoiceDate: date,
  Description: text,
  Currency: text,
  AmountDC: amount,
  Status: int,
  Journal: code,
  YourRef: text,
  ...audit,
});

/** A sales invoice as read. */
export type ExactSalesInvoice = z.output<typeof exactSalesInvoiceSchema>;

/** A line of a sales invoice (`salesinvoice/SalesInvoiceLines`). */
export const exactSalesInvoiceLineSchema = z.looseObject({
  ID: guid,
  InvoiceID: guid,
  LineNumber: int,
  Item: guid,
  Description: text,
  Quantity: amount,
  UnitPrice: amount,
  AmountDC: amount,
  VATCode: code,
  ...audit,
});

/** A sales invoice line as read. */
export type ExactSalesInvoiceLine = z.output<typeof exactSalesInvoiceLineSchema>;

/** An item (`logistics/Items`). */
export const exactItemSchema = z.looseObject({
  ID: guid,
  Code: code,
  Description: text,
  IsSalesItem: flag,
  IsStockItem: flag,
  Unit: text,
  CostPriceStandard: amount,
  ...audit,
});

/** An item as read. */
export type ExactItem = z.output<typeof exactItemSchema>;

/** A general ledger account (`financial/GLAccounts`). */
export const exactGLAccountSchema = z.looseObject({
  ID: guid,
  Code: code,
  Description: text,
  Type: int,
  BalanceSide: text,
  BalanceType: text,
  ...audit,
});

/** A GL account as read. */
export type ExactGLAccount = z.output<typeof exactGLAccountSchema>;

/** A cost centre (`hrm/CostCenters`). */
export const exactCostCenterSchema = z.looseObject({
  ID: guid,
  Code: code,
  Description: text,
  Active: flag,
  ...audit,
});

/** A cost centre as read. */
export type ExactCostCenter = z.output<typeof exactCostCenterSchema>;

/** A financial transaction line (`financialtransaction/TransactionLines`). */
export const exactTransactionLineSchema = z.looseObject({
  ID: guid,
  EntryNumber: int,
  Date: date,
  GLAccount: guid,
  Account: guid,
  AmountDC: amount,
  Description: text,
  FinancialYear: int,
  FinancialPeriod: int,
  JournalCode: code,
  ...audit,
});

/** A transaction line as read. */
export type ExactTransactionLine = z.output<typeof exactTransactionLineSchema>;

/**
 * A division (administration) of the user's licence (`system/Divisions`: `Hid` and `IsMainDivision` there, per
 * picqer's `SystemDivision.php`; `hrm/Divisions` spells them `HID` and `Main`).
 */
export const exactDivisionSchema = z.looseObject({
  /** The division number every API path carries. */
  Code: z.int(),
  Description: text,
  Hid: z.optional(exactInt64),
  Current: flag,
  IsMainDivision: flag,
  Status: int,
  Country: text,
  Currency: text,
  Customer: guid,
  CustomerCode: code,
  CustomerName: text,
  Created: date,
  Modified: date,
});

/** A division as read. */
export type ExactDivision = z.output<typeof exactDivisionSchema>;

/**
 * The default `$select` of each entity (Exact answers every field without one, and refuses a name it does not
 * have): the fields every Exact Online edition has, with the audit fields.
 */
export const DEFAULT_SELECT = {
  accounts: [
    'ID',
    'Code',
    'Name',
    'SearchCode',
    'AddressLine1',
    'AddressLine2',
    'Postcode',
    'City',
    'Country',
    'Email',
    'Phone',
    'Website',
    'VATNumber',
    'ChamberOfCommerce',
    'Status',
    'IsSales',
    'IsSupplier',
    'Blocked',
    'MainContact',
    'Remarks',
    ...AUDIT_SELECT,
  ],
  contacts: [
    'ID',
    'Account',
    'AccountName',
    'FirstName',
    'MiddleName',
    'LastName',
    'FullName',
    'Email',
    'BusinessEmail',
    'Phone',
    'Mobile',
    'JobTitleDescription',
    'Notes',
    ...AUDIT_SELECT,
  ],
  salesInvoices: [
    'InvoiceID',
    'InvoiceNumber',
    'InvoiceTo',
    'OrderedBy',
    'InvoiceDate',
    'Description',
    'Currency',
    'AmountDC',
    'Status',
    'Journal',
    'YourRef',
    ...AUDIT_SELECT,
  ],
  salesInvoiceLines: [
    'ID',
    'InvoiceID',
    'LineNumber',
    'Item',
    'Description',
    'Quantity',
    'UnitPrice',
    'AmountDC',
    'VATCode',
    ...AUDIT_SELECT,
  ],
  items: [
    'ID',
    'Code',
    'Description',
    'IsSalesItem',
    'IsStockItem',
    'Unit',
    'CostPriceStandard',
    ...AUDIT_SELECT,
  ],
  glAccounts: ['ID', 'Code', 'Description', 'Type', 'BalanceSide', 'BalanceType', ...AUDIT_SELECT],
  costCenters: ['ID', 'Code', 'Description', 'Active', ...AUDIT_SELECT],
  transactionLines: [
    'ID',
    'EntryNumber',
    'Date',
    'GLAccount',
    'Account',
    'AmountDC',
    'Description',
    'FinancialYear',
    'FinancialPeriod',
    'JournalCode',
    ...AUDIT_SELECT,
  ],
  divisions: ['Code', 'Description', 'Hid', 'Current', 'IsMainDivision', 'Status', 'Country', 'Currency'],
} as const satisfies Record<string, readonly string[]>;

type FieldOf<S extends { def: { shape: object } }> = keyof S['def']['shape'] & string;

/** The account fields this package types, for `$select`. */
export type ExactAccountField = FieldOf<typeof exactAccountSchema>;
/** The contact fields this package types, for `$select`. */
export type ExactContactField = FieldOf<typeof exactContactSchema>;
/** The sales invoice fields this package types. */
export type ExactSalesInvoiceField = FieldOf<typeof exactSalesInvoiceSchema>;
/** The sales invoice line fields this package types. */
export type ExactSalesInvoiceLineField = FieldOf<typeof exactSalesInvoiceLineSchema>;
/** The item fields this package types. */
export type ExactItemField = FieldOf<typeof exactItemSchema>;
/** The GL account fields this package types. */
export type ExactGLAccountField = FieldOf<typeof exactGLAccountSchema>;
/** The cost centre fields this package types. */
export type ExactCostCenterField = FieldOf<typeof exactCostCenterSchema>;
/** The transaction line fields this package types. */
export type ExactTransactionLineField = FieldOf<typeof exactTransactionLineSchema>;
