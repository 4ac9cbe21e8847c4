// --- Emulator kit: serving, faults, rate limiting and counters shared by every emulator. ---
export { DEFAULT_MAX_BODY_BYTES, readBodyText } from './kit/body.ts';
export { type Counters, type CountersSnapshot, createCounters, type Outcome } from './kit/counters.ts';
export {
  createFaults,
  type FaultKind,
  type FaultSpec,
  type Faults,
  type FaultsOptions,
} from './kit/faults.ts';
export { EmulatorConfigError } from './kit/options.ts';
export { createRandom } from './kit/random.ts';
export {
  createWindowRateLimiter,
  type RateLimitDecision,
  rateLimitHeaders,
  type WindowRateLimiter,
  type WindowRateLimiterOptions,
} from './kit/rate-limiter.ts';
export { matchesRoute, methodAndPath, type RoutePattern } from './kit/route-key.ts';
export { type EmulatorServer, type ServeOptions, serveEmulator } from './kit/serve.ts';
export type { EmulatorHandler, EmulatorReply } from './kit/types.ts';
export { type WrapOptions, withFaultsAndCounters } from './kit/wrap.ts';

// --- End of the emulator kit. Emulators (Twenty…) export below. ---

// --- Twenty CRM emulator. ---
export {
  createTwentyEmulator,
  type RunningTwentyEmulator,
  startTwentyEmulator,
  TWENTY_EMULATOR_DEMO_API_KEY,
  type TwentyEmulator,
  type TwentyEmulatorOptions,
} from './twenty/emulator.ts';
export type { MetadataFormat } from './twenty/metadata.ts';
export { twentyRouteKey } from './twenty/routes.ts';
export type { FieldType, ObjectName } from './twenty/schema.ts';
export {
  type Actor,
  createTwentyStore,
  type DuplicateGroup,
  type TwentyStore,
  type TwentyStoreOptions,
} from './twenty/store.ts';
export type { TwentyRecord } from './twenty/values.ts';
export { signTwentyWebhook, type TwentyWebhookSignInput } from './twenty/webhook.ts';
// --- End of the Twenty CRM emulator. ---

// --- OAuth2 authorization server emulator (authorization code with PKCE, rotating single-use refresh tokens). ---
export {
  createOAuth2Emulator,
  OAUTH2_EMULATOR_CLIENT_ID,
  OAUTH2_EMULATOR_CLIENT_SECRET,
  type OAuth2Emulator,
  type OAuth2EmulatorOptions,
  type RunningOAuth2Emulator,
  startOAuth2Emulator,
} from './oauth2/emulator.ts';
export type { IssuedTokens, OAuth2Stats, ReuseAnswer } from './oauth2/grants.ts';
export { OAUTH2_PATHS, oauth2RouteKey } from './oauth2/routes.ts';
// --- End of the OAuth2 emulator. ---

// --- PostHog emulator: capture (/batch/, /i/v0/e/, /e/, /capture/, /i/v1/analytics/events) and the query API. ---
export { type CapturedEvent, type CaptureErrorCode, POSTHOG_CAPTURE_PATHS } from './posthog/capture.ts';
export type { CaptureErrorStyle } from './posthog/capture-errors.ts';
export type { CaptureV1Request } from './posthog/capture-routes.ts';
export { POSTHOG_CAPTURE_V1_PATH } from './posthog/capture-v1.ts';
export {
  createPostHogEmulator,
  POSTHOG_EMULATOR_PERSONAL_KEY,
  POSTHOG_EMULATOR_PROJECT_KEY,
  type PostHogEmulator,
  type PostHogEmulatorOptions,
  type RunningPostHogEmulator,
  startPostHogEmulator,
} from './posthog/emulator.ts';
export { type GenerateEventsOptions, generatePostHogEvents } from './posthog/event-generator.ts';
export type { QueryRequestRecord, QueryStats } from './posthog/query-routes.ts';
export type { AsyncCompletion, QueryStatusJson } from './posthog/query-status.ts';
// --- End of the PostHog emulator. ---

// --- HubSpot CRM emulator: objects (dated and v3 paths), batches, search, associations, limits. ---
export type { HubSpotAccount } from './hubspot/account.ts';
export type {
  AssociationSpec,
  AssociationTypeWithLabel,
  HubSpotAssociations,
} from './hubspot/associations.ts';
export {
  createHubSpotEmulator,
  HUBSPOT_EMULATOR_TOKEN,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
  type RunningHubSpotEmulator,
  startHubSpotEmulator,
} from './hubspot/emulator.ts';
export { type GenerateHubSpotRecordsOptions, generateHubSpotRecords } from './hubspot/generator.ts';
export { HUBSPOT_DATE_VERSIONS } from './hubspot/paths.ts';
export { HUBSPOT_PLAN_LIMITS, type HubSpotLimits, type HubSpotPlan } from './hubspot/rate-limit.ts';
export { hubspotRouteKey } from './hubspot/routes.ts';
export type { CustomObjectInput, HubSpotSchema, ObjectTypeDef } from './hubspot/schema.ts';
export { SEARCH_LIMITS } from './hubspot/search.ts';
export { FILTER_LIMITS, SEARCH_OPERATORS, type SearchOperator } from './hubspot/search-filters.ts';
export type { HubSpotRecord, HubSpotStore } from './hubspot/store.ts';
// --- End of the HubSpot CRM emulator. ---

// --- Pipedrive emulator: v2 records, v1 notes/leads/webhooks, custom fields by hash, token budget, webhooks v2. ---
export {
  type AppChange,
  createPipedriveEmulator,
  PIPEDRIVE_EMULATOR_TOKEN,
  type PipedriveEmulator,
  type PipedriveEmulatorOptions,
  type RunningPipedriveEmulator,
  startPipedriveEmulator,
} from './pipedrive/emulator.ts';
export type { FieldInput, PipedriveEntity, PipedriveField, PipedriveFieldType } from './pipedrive/fields.ts';
export { type GeneratePipedriveRecordsOptions, generatePipedriveRecords } from './pipedrive/generator.ts';
export { dailyBudget, PIPEDRIVE_PLANS, type PipedrivePlan, tokenCost } from './pipedrive/limits.ts';
export type { PipedriveRecord } from './pipedrive/records.ts';
export { pipedriveRouteKey } from './pipedrive/routes.ts';
export { MAX_WEBHOOKS_PER_USER, type PipedriveWebhook, type WebhookDelivery } from './pipedrive/webhooks.ts';
// --- End of the Pipedrive emulator. ---

// --- Exact Online emulator: OAuth2 with Exact's token rules, OData v2 REST, bulk and sync reads, limits, webhooks. ---
export {
  createExactOnlineEmulator,
  EXACT_EMULATOR_CLIENT_ID,
  EXACT_EMULATOR_CLIENT_SECRET,
  EXACT_EMULATOR_WEBHOOK_SECRET,
  type ExactOnlineEmulator,
  type ExactOnlineEmulatorOptions,
  type RunningExactOnlineEmulator,
  startExactOnlineEmulator,
} from './exact-online/emulator.ts';
export { type EntityDef as ExactEntityDef, EXACT_ENTITIES } from './exact-online/entities.ts';
export { type GenerateExactRecordsOptions, generateExactRecords } from './exact-online/generator.ts';
export type { ExactLimits } from './exact-online/limits.ts';
export {
  EXACT_ACCESS_TOKEN_SECONDS,
  EXACT_REFRESH_WINDOW_MS,
  EXACT_TOKEN_CALLS_PER_DAY,
  type ExactTokenStats,
  type ExactTokens,
} from './exact-online/oauth.ts';
export { exactOnlineRouteKey } from './exact-online/routes.ts';
export type { DeletedEntry as ExactDeletedEntry, ExactRecord, ExactStore } from './exact-online/store.ts';
export {
  EXACT_WEBHOOK_TOPICS,
  type ExactWebhookContent,
  type ExactWebhookDelivery,
  type ExactWebhookSubscription,
  signExactWebhook,
} from './exact-online/webhooks.ts';
// --- End of the Exact Online emulator. ---
