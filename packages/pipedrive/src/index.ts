// The public API of @patchbay/pipedrive: the API v2 client (persons, organizations, deals, activities; v1 notes and
// leads), typed custom fields and their definitions (list, create), the burst limiter and the daily token budget,
// error reading, webhooks v2, the connector, and the sync of persons and organizations on @patchbay/sync.

export {
  createPipedriveClient,
  type PipedriveClient,
  type PipedriveClientOptions,
} from './client.ts';
export {
  PIPEDRIVE_SYNC_MODES,
  pipedriveBaseUrl,
  pipedriveConnector,
  pipedriveSettingsSchema,
} from './connector.ts';
export {
  PIPEDRIVE_FIELD_PATHS,
  type PipedriveCustomFieldsOption,
  type PipedriveEntity,
  type PipedriveFieldDefinition,
} from './custom-fields.ts';
export {
  createPipedriveClientFromEnv,
  type PipedriveClientFromEnvOptions,
  type PipedriveConfig,
  type ResolvePipedriveConfigOptions,
  resolvePipedriveConfig,
} from './env.ts';
export {
  PIPEDRIVE_FIELD_TYPES,
  type PipedriveFieldCreateEntity,
  type PipedriveFieldCreateInput,
  type PipedriveFieldDefinitions,
  type PipedriveFieldType,
} from './field-definitions.ts';
export {
  createPipedriveErrorMapper,
  mapPipedriveError,
  type PipedriveErrorMapperOptions,
} from './pipedrive-errors.ts';
export {
  type PipedriveChangeRecord,
  type PipedriveChangesObject,
  type PipedriveChangesOptions,
  type PipedriveChangesPage,
  type PipedrivePull,
  pipedriveChanges,
} from './pull-changes.ts';
export {
  createPipedriveRateLimiter,
  createPipedriveSearchRateLimiter,
  PIPEDRIVE_BURST_LIMITS,
  PIPEDRIVE_SEARCH_RATE_LIMIT,
  type PipedrivePlan,
  type PipedriveRateLimitOptions,
} from './rate-limit.ts';
export {
  type PipedriveActivity,
  type PipedriveActivityInput,
  type PipedriveCustomValue,
  type PipedriveCustomValues,
  type PipedriveDeal,
  type PipedriveDealInput,
  type PipedriveOrganization,
  type PipedriveOrganizationInput,
  type PipedrivePerson,
  type PipedrivePersonInput,
  pipedriveActivitySchema,
  pipedriveDealSchema,
  pipedriveOrganizationSchema,
  pipedrivePersonSchema,
} from './records.ts';
export type {
  PipedriveListOptions,
  PipedrivePage,
  PipedriveResource,
  PipedriveSearchableResource,
  PipedriveSearchOptions,
} from './resource.ts';
export type {
  OrganizationRecord as PipedriveOrganizationRecord,
  PersonRecord as PipedrivePersonRecord,
} from './sync/records.ts';
export {
  createPipedriveSync,
  type PipedriveSync,
  type PipedriveSyncMode,
  type PipedriveSyncObjectType,
  type PipedriveSyncOptions,
  type PipedriveSyncProgress,
  type PipedriveSyncReport,
  type SyncFailure,
} from './sync.ts';
export {
  createPipedriveTokenBudget,
  PIPEDRIVE_DAILY_TOKENS_PER_SEAT,
  PIPEDRIVE_TOKEN_COSTS,
  type PipedriveCallKind,
  type PipedriveTokenBudget,
  type PipedriveTokenBudgetOptions,
} from './token-budget.ts';
export {
  type PipedriveLead,
  type PipedriveLeadInput,
  type PipedriveNote,
  type PipedriveNoteInput,
  type PipedriveV1ListOptions,
  type PipedriveV1Resource,
  pipedriveLeadSchema,
  pipedriveNoteSchema,
} from './v1.ts';
export {
  createPipedriveWebhookReceiver,
  type PipedriveWebhookEvent,
  type PipedriveWebhookOutcome,
  type PipedriveWebhookReceiver,
  type PipedriveWebhookReceiverOptions,
  pipedriveWebhookEventSchema,
  type VerifyPipedriveWebhookOptions,
  verifyPipedriveWebhook,
} from './webhook.ts';
export type {
  PipedriveWebhookRegistration,
  PipedriveWebhookSubscription,
  PipedriveWebhooks,
} from './webhook-subscriptions.ts';
