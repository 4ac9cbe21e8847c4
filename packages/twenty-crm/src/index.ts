export {
  createTwentyAdminHandler,
  type TwentyAdminConfigView,
  type TwentyAdminErrorBody,
  type TwentyAdminErrorCode,
  type TwentyAdminHandlerOptions,
  type TwentyAdminPrincipal,
} from './admin-handler.ts';
export {
  type CompanyField,
  createTwentyClient,
  type PersonField,
  TWENTY_RATE_LIMIT,
  type TwentyClient,
  type TwentyClientOptions,
} from './client.ts';
export { type Company, type CompanyInput, companySchema } from './company.ts';
export { isReachable, type TwentyConnectionTest, testConnection } from './connection.ts';
export { TWENTY_SYNC_MODES, twentyConnector } from './connector.ts';
export { type Comparator, type FieldCondition, serializeFilter, type TwentyFilter } from './filter.ts';
export type { FieldMetadata, FieldSpec, MetadataResource, ObjectMetadata } from './metadata.ts';
export { type Person, type PersonInput, personSchema } from './person.ts';
export {
  type TwentyChangeRecord,
  type TwentyChangesObject,
  type TwentyChangesOptions,
  type TwentyChangesPage,
  type TwentyPull,
  twentyChanges,
} from './pull-changes.ts';
export type { BatchOptions, ListOptions, RecordResource, WriteOptions } from './records.ts';
export { type CompanyRecord, EXTERNAL_ID_FIELD, type PersonRecord } from './sync/records.ts';
export {
  createTwentySync,
  type SyncFailure,
  type SyncProgress,
  type SyncReport,
  type TwentySync,
  type TwentySyncOptions,
  type UpsertOutcome,
} from './sync.ts';
export {
  createTwentySyncFromEnv,
  type TwentySyncFromEnv,
  type TwentySyncFromEnvOptions,
} from './sync-from-env.ts';
export { type TwentyWebhook, type VerifyTwentyWebhookOptions, verifyTwentyWebhook } from './webhook.ts';
