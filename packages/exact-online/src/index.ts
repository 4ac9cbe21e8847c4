// The public API of @patchbay/exact-online: the client (OAuth2 with Exact's rules, divisions, accounts and
// contacts, sales invoices, items, GL accounts, cost centres, transaction lines), the OData readers and the filter
// builder, the per-division limiter, the error budget, error reading, and the connector declaration.

export {
  createExactClient,
  type ExactClient,
  type ExactClientOptions,
  type ExactDivisionClient,
} from './client.ts';
export { EXACT_SYNC_MODES, exactOnlineConnector, exactSettingsSchema } from './connector.ts';
export {
  EXACT_DELETED_ENTITY_TYPES,
  type ExactDeletedEntity,
  type ExactDeletedPage,
  type ExactDeletedSource,
  type ExactDeletion,
  type ExactDeletionsOptions,
  exactDeletedSchema,
  exactDeletions,
} from './deleted.ts';
export {
  createExactClientFromEnv,
  type ExactClientFromEnvOptions,
  type ExactConfig,
  type ResolveExactConfigOptions,
  resolveExactConfig,
} from './env.ts';
export {
  createExactErrorBudget,
  type ExactErrorBudget,
  type ExactErrorBudgetOptions,
  type ExactErrorBudgetState,
  exactEndpointOf,
} from './error-budget.ts';
export { createExactErrorMapper, type ExactErrorMapperOptions, mapExactError } from './exact-errors.ts';
export {
  type ExactFilter,
  type ExactFilterValue,
  type ExactLiteral,
  exactFilter,
  isExactFieldName,
  renderExactFilter,
} from './filter.ts';
export { EXACT_OAUTH, type ExactOAuthOptions } from './oauth.ts';
export { exactDateToIso, isGuid } from './odata.ts';
export {
  type ExactChange,
  type ExactChangeRecord,
  type ExactChangesEntity,
  type ExactChangesOptions,
  type ExactChangesPage,
  type ExactPull,
  exactChanges,
} from './pull-changes.ts';
export { createExactRateLimiter, EXACT_RATE_LIMITS, type ExactRateLimitOptions } from './rate-limit.ts';
export {
  type ExactAccount,
  type ExactAccountField,
  type ExactContact,
  type ExactContactField,
  type ExactCostCenter,
  type ExactCostCenterField,
  type ExactDivision,
  type ExactGLAccount,
  type ExactGLAccountField,
  type ExactItem,
  type ExactItemField,
  type ExactSalesInvoice,
  type ExactSalesInvoiceField,
  type ExactSalesInvoiceLine,
  type ExactSalesInvoiceLineField,
  type ExactTransactionLine,
  type ExactTransactionLineField,
  exactAccountSchema,
  exactContactSchema,
  exactCostCenterSchema,
  exactDivisionSchema,
  exactGLAccountSchema,
  exactItemSchema,
  exactSalesInvoiceLineSchema,
  exactSalesInvoiceSchema,
  exactTransactionLineSchema,
} from './records.ts';
export {
  EXACT_REGIONS,
  type ExactRegion,
  exactAuthorizationUrl,
  exactBaseUrl,
  exactTokenUrl,
  isExactRegion,
} from './regions.ts';
export type {
  ExactGetOptions,
  ExactListOptions,
  ExactResource,
  ExactSyncOptions,
  ExactSyncPage,
  ExactSyncResource,
} from './resource.ts';
export {
  type ExactSyncEntity,
  type ExactSyncTimestampOptions,
  exactSyncTimestamp,
} from './sync-timestamp.ts';
export {
  type ExactWebhookContent,
  type ExactWebhookEvent,
  exactWebhookContentSchema,
  type VerifyExactWebhookOptions,
  verifyExactWebhook,
} from './webhook.ts';
export {
  createExactWebhookReceiver,
  type ExactWebhookDelivery,
  type ExactWebhookOutcome,
  type ExactWebhookReceiver,
  type ExactWebhookReceiverOptions,
  type ExactWebhookRecord,
} from './webhook-receiver.ts';
export {
  deleteExactWebhook,
  type ExactWebhookCallOptions,
  type ExactWebhookSubscribeInput,
  type ExactWebhookSubscription,
  exactWebhookSubscriptionSchema,
  listExactWebhooks,
  subscribeExactWebhook,
} from './webhook-subscriptions.ts';
export {
  type ExactAccountChanges,
  type ExactAccountCreate,
  type ExactContactChanges,
  type ExactContactCreate,
  type ExactSalesInvoiceCreate,
  type ExactSalesInvoiceLineCreate,
  exactAccountChangesSchema,
  exactAccountCreateSchema,
  exactContactChangesSchema,
  exactContactCreateSchema,
  exactSalesInvoiceCreateSchema,
  exactSalesInvoiceLineCreateSchema,
} from './write-inputs.ts';
export {
  type ExactCreatedSalesInvoice,
  type ExactWritable,
  type ExactWriteOptions,
  exactCreatedSalesInvoiceSchema,
} from './writes.ts';
