// The public API of @patchbay/hubspot: the CRM client (objects, batches with per-input outcomes, search past
// 10 000 results, associations), its rate limiter and error reading, webhook verification and the connector.

export {
  createAssociations,
  HUBSPOT_ASSOCIATION_READ_BATCH_SIZE,
  type HubSpotAssociatedRecord,
  type HubSpotAssociationCreated,
  type HubSpotAssociationCreateInput,
  type HubSpotAssociationReadResult,
  type HubSpotAssociations,
  type HubSpotAssociationType,
} from './associations.ts';
export {
  HUBSPOT_BATCH_SIZE,
  type HubSpotBatchError,
  type HubSpotBatchOutcome,
  type HubSpotBatchResult,
} from './batch.ts';
export {
  createHubSpotClient,
  HUBSPOT_BASE_URL,
  type HubSpotClient,
  type HubSpotClientOptions,
} from './client.ts';
export { HUBSPOT_SYNC_MODES, hubspotConnector } from './connector.ts';
export {
  createHubSpotClientFromEnv,
  type HubSpotClientFromEnvOptions,
  type HubSpotConfig,
  type ResolveHubSpotConfigOptions,
  resolveHubSpotConfig,
} from './env.ts';
export {
  createHubSpotErrorMapper,
  type HubSpotErrorMapperOptions,
  type HubSpotRateLimitPolicy,
  hubspotExistingId,
  mapHubSpotError,
} from './hubspot-errors.ts';
export type {
  HubSpotAssociationInput,
  HubSpotBatchOptions,
  HubSpotCreateInput,
  HubSpotGetOptions,
  HubSpotListOptions,
  HubSpotObjectResource,
  HubSpotPage,
  HubSpotUpdateInput,
  HubSpotUpsertInput,
  HubSpotUpsertOptions,
} from './objects.ts';
export { DEFAULT_HUBSPOT_API_VERSION, HUBSPOT_API_VERSIONS, type HubSpotApiVersion } from './paths.ts';
export {
  createHubSpotRateLimiter,
  HUBSPOT_RATE_LIMIT,
  HUBSPOT_SEARCH_RATE_LIMIT,
  type HubSpotRateLimitOptions,
} from './rate-limit.ts';
export {
  type HubSpotCompany,
  type HubSpotContact,
  type HubSpotDeal,
  type HubSpotPropertiesInput,
  type HubSpotPropertiesSchema,
  type HubSpotPropertyValue,
  type HubSpotRecord,
  type HubSpotTicket,
  hubspotCompanyPropertiesSchema,
  hubspotContactPropertiesSchema,
  hubspotDealPropertiesSchema,
  hubspotPropertiesSchema,
  hubspotRecordSchema,
  hubspotTicketPropertiesSchema,
} from './records.ts';
export type { HubSpotSearchOptions, HubSpotSearchPage } from './search.ts';
export {
  HUBSPOT_FILTER_OPERATORS,
  HUBSPOT_SEARCH_LIMITS,
  type HubSpotFilter,
  type HubSpotSearchRequest,
} from './search-limits.ts';
export { DEFAULT_COMPANY_ID_PROPERTY } from './sync/objects.ts';
export type {
  CompanyRecord as HubSpotSyncCompany,
  ContactRecord as HubSpotSyncContact,
} from './sync/records.ts';
export {
  createHubSpotSync,
  type HubSpotSync,
  type HubSpotSyncMode,
  type HubSpotSyncObjectType,
  type HubSpotSyncOptions,
  type HubSpotSyncProgress,
  type HubSpotSyncReport,
  type SyncFailure,
} from './sync.ts';
export { type HubSpotWebhook, type VerifyHubSpotWebhookOptions, verifyHubSpotWebhook } from './webhook.ts';
