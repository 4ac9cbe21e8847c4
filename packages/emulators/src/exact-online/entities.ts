// The entities the emulator serves, with where each lives: its REST path (`/api/v1/{division}/{path}`), its key,
// its OData type name, the properties it has, and its bulk and sync paths where Exact has them. Property lists are
// the common subset of Exact's reference pages as mirrored in picqer/exact-php-client (`src/Picqer/Financials/Exact/
// Account.php`, `Contact.php`, `SalesInvoice.php`, `SalesInvoiceLine.php`, `Item.php`, `GLAccount.php`,
// `CostCenter.php`, `TransactionLine.php`, `Sync*.php`, `Bulk*.php`), not every property. `EntityType` codes of
// `sync/Deleted` are picqer's `Deleted.php`: 1 TransactionLines, 2 Accounts, 5 Contacts, 7 GLAccounts, 9 Items,
// 13 SalesInvoices. Webhook topics from Exact's webhook docs as picqer's `WebhookSubscription.php` cites them
// (`Accounts`, `Contacts`, `Items`, `SalesInvoices`, `GLAccounts`, `FinancialTransactions`). Guesses: which fields are
// mandatory, and that `Timestamp` exists only on the sync endpoints (the REST entities have `Modified` instead).

/** One entity's shape and places. */
export interface EntityDef {
  /** Canonical REST path, e.g. `crm/Accounts`. */
  path: string;
  key: string;
  /** `__metadata.type`. */
  type: string;
  fields: readonly string[];
  /** Properties a create must carry. */
  required: readonly string[];
  /** Properties the server sets; a write naming them is ignored for them. */
  readOnly: readonly string[];
  sync?: string;
  bulk?: string;
  /** `sync/Deleted` EntityType. */
  deletedType?: number;
  topic?: string;
  /** Lines posted inside a create (`SalesInvoiceLines`). */
  lines?: { property: string; entity: string; parentKey: string };
  /** Refused as a whole-entity write (lines are written with their header). */
  readOnlyEntity?: boolean;
}

const AUDIT = ['Created', 'Creator', 'Modified', 'Modifier', 'Division'] as const;

const defs: EntityDef[] = [
  {
    path: 'crm/Accounts',
    key: 'ID',
    type: 'Exact.Web.Api.Models.Account',
    fields: [
      'ID',
      'Code',
      'Name',
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
      'SearchCode',
      'Remarks',
      ...AUDIT,
    ],
    required: ['Name'],
    readOnly: ['ID', ...AUDIT],
    sync: 'CRM/Accounts',
    bulk: 'CRM/Accounts',
    deletedType: 2,
    topic: 'Accounts',
  },
  {
    path: 'crm/Contacts',
    key: 'ID',
    type: 'Exact.Web.Api.Models.Contact',
    fields: [
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
      ...AUDIT,
    ],
    required: ['Account'],
    readOnly: ['ID', 'AccountName', 'FullName', ...AUDIT],
    sync: 'CRM/Contacts',
    bulk: 'CRM/Contacts',
    deletedType: 5,
    topic: 'Contacts',
  },
  {
    path: 'salesinvoice/SalesInvoices',
    key: 'InvoiceID',
    type: 'Exact.Web.Api.Models.SalesInvoice',
    fields: [
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
      'SalesInvoiceLines',
      ...AUDIT,
    ],
    required: ['OrderedBy', 'Journal'],
    readOnly: ['InvoiceID', 'InvoiceNumber', 'AmountDC', ...AUDIT],
    // picqer's `BulkSalesInvoice.php`.
    bulk: 'SalesInvoice/SalesInvoices',
    sync: 'SalesInvoice/SalesInvoices',
    deletedType: 13,
    topic: 'SalesInvoices',
    lines: {
      property: 'SalesInvoiceLines',
      entity: 'salesinvoice/SalesInvoiceLines',
      parentKey: 'InvoiceID',
    },
  },
  {
    path: 'salesinvoice/SalesInvoiceLines',
    key: 'ID',
    type: 'Exact.Web.Api.Models.SalesInvoiceLine',
    fields: [
      'ID',
      'InvoiceID',
      'LineNumber',
      'Item',
      'Description',
      'Quantity',
      'UnitPrice',
      'AmountDC',
      'VATCode',
      ...AUDIT,
    ],
    required: ['Item'],
    readOnly: ['ID', 'InvoiceID', 'LineNumber', 'AmountDC', ...AUDIT],
    bulk: 'SalesInvoice/SalesInvoiceLines',
    readOnlyEntity: true,
  },
  {
    path: 'logistics/Items',
    key: 'ID',
    type: 'Exact.Web.Api.Models.Logistics.Item',
    fields: [
      'ID',
      'Code',
      'Description',
      'IsSalesItem',
      'IsStockItem',
      'Unit',
      'CostPriceStandard',
      ...AUDIT,
    ],
    required: ['Code', 'Description'],
    readOnly: ['ID', ...AUDIT],
    sync: 'Logistics/Items',
    bulk: 'Logistics/Items',
    deletedType: 9,
    topic: 'Items',
  },
  {
    path: 'financial/GLAccounts',
    key: 'ID',
    type: 'Exact.Web.Api.Models.GLAccount',
    fields: ['ID', 'Code', 'Description', 'Type', 'BalanceSide', 'BalanceType', ...AUDIT],
    required: ['Code', 'Description'],
    readOnly: ['ID', ...AUDIT],
    sync: 'Financial/GLAccounts',
    bulk: 'Financial/GLAccounts',
    deletedType: 7,
    topic: 'GLAccounts',
  },
  {
    path: 'hrm/CostCenters',
    key: 'ID',
    type: 'Exact.Web.Api.Models.HRM.CostCenter',
    fields: ['ID', 'Code', 'Description', 'Active', ...AUDIT],
    required: ['Code', 'Description'],
    readOnly: ['ID', ...AUDIT],
  },
  {
    path: 'financialtransaction/TransactionLines',
    key: 'ID',
    type: 'Exact.Web.Api.Models.Financial.TransactionLine',
    fields: [
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
      ...AUDIT,
    ],
    required: ['GLAccount', 'AmountDC'],
    readOnly: ['ID', ...AUDIT],
    sync: 'Financial/TransactionLines',
    bulk: 'Financial/TransactionLines',
    deletedType: 1,
    topic: 'FinancialTransactions',
  },
];

/** Every entity by canonical REST path. */
export const EXACT_ENTITIES: ReadonlyMap<string, EntityDef> = new Map(defs.map((def) => [def.path, def]));

// Exact's paths answer in any case (IIS routing); lookups go through lower case.
const byRest = new Map(defs.map((def) => [def.path.toLowerCase(), def]));
const bySync = new Map(defs.filter((d) => d.sync).map((def) => [def.sync!.toLowerCase(), def]));
const byBulk = new Map(defs.filter((d) => d.bulk).map((def) => [def.bulk!.toLowerCase(), def]));

/** The entity at a REST, `sync/` or `bulk/` path (without the division), if any. */
export function entityAt(kind: 'rest' | 'sync' | 'bulk', path: string): EntityDef | undefined {
  const table = kind === 'rest' ? byRest : kind === 'sync' ? bySync : byBulk;
  return table.get(path.toLowerCase());
}

/** The entity of a canonical path; throws for one this emulator does not have. */
export function entity(path: string): EntityDef {
  const def = EXACT_ENTITIES.get(path);
  if (!def) throw new RangeError(`Unknown Exact entity ${path}`);
  return def;
}
