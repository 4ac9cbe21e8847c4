export type { AccessTokenSource, AuthOption } from './auth.ts';
export {
  describeType,
  invalidInput,
  isArraySafe,
  isObjectLike,
  readArray,
  readCallback,
  readOptions,
  readProperty,
  readSignal,
} from './caller-input.ts';
export {
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
  createCircuitBreaker,
} from './circuit-breaker.ts';
export {
  codeForStatus,
  type ErrorMapper,
  type ErrorMapping,
  type ErrorResponse,
  errorFromResponse,
  type FailedResponse,
} from './classify.ts';
export { type ConfigSource, envSource, type ResolvedConfig, resolveConfig } from './config.ts';
export { booleanFromEnv, httpUrl, secretString, syncModeName } from './config-schemas.ts';
export {
  type ConfigStore,
  type ConfigStoreOptions,
  createConfigStore,
  type IntegrationConfig,
  type IntegrationConfigInput,
  integrationConfigInputSchema,
  integrationConfigSchema,
} from './config-store.ts';
export type { ConnectionTestOptions, ConnectionTestResult } from './connector/connection-test.ts';
export {
  type Connector,
  type ConnectorConfig,
  type ConnectorDefinition,
  type Credential,
  type CredentialDefinition,
  type CredentialDefinitions,
  type CredentialValues,
  defineConnector,
  isConnector,
} from './connector/define-connector.ts';
export {
  type ConnectorConfigDefaults,
  type ResolveConnectorConfigOptions,
  resolveConnectorConfig,
} from './connector/resolve-connector-config.ts';
export { fromBase64, fromHex, toBase64, toBase64Url, toHex, utf8 } from './encoding.ts';
export {
  ERROR_CODES,
  type ErrorCode,
  type FieldIssue,
  IntegrationError,
  type IntegrationErrorOptions,
  isIntegrationError,
  reviseError,
} from './errors.ts';
export {
  type HmacAlgorithm,
  type HmacEncoding,
  type HmacSecret,
  hmacKeyBytes,
  type SignHmacOptions,
  signHmac,
  type VerifyHmacSignatureOptions,
  verifyHmacSignature,
} from './hmac.ts';
export {
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpHooks,
  type HttpResponse,
  type RequestOptions,
} from './http-client.ts';
export { createIdempotencyKey, type IdempotencyOptions } from './idempotency.ts';
export {
  type IntegrationConfigDefaults,
  type ResolvedIntegrationConfig,
  type ResolveIntegrationConfigOptions,
  resolveIntegrationConfig,
} from './integration-config.ts';
export { type JsonValue, type JsonValueOptions, toJsonValue } from './json-value.ts';
export { type LogFields, type Logger, noopLogger } from './logger.ts';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.ts';
export { optionsObject, parseOptions } from './options.ts';
export {
  type CollectPagesOptions,
  collectPages,
  cursorPagination,
  DEFAULT_MAX_ITEMS,
  DEFAULT_MAX_PAGES,
  type NextPage,
  nextUrlPagination,
  odataNextLink,
  offsetPagination,
  type PageRequest,
  type PaginateOptions,
  paginate,
} from './pagination.ts';
export { encodePathSegment, type PathSegmentOptions } from './path-segment.ts';
export { createMemoryRateLimitStore, type RateLimitBucket, type RateLimitStore } from './rate-limit-store.ts';
export { createRateLimiter, type RateLimiter, type RateLimiterOptions } from './rate-limiter.ts';
export { redact, redactHeaders, redactUrl } from './redact.ts';
export { type ApiResult, err, isErr, isOk, mapResult, ok, unwrap } from './result.ts';
export { backoffDelay, DEFAULT_RETRY_OPTIONS, type RetryOptions } from './retry.ts';
export { parseRetryAfterMs } from './retry-after.ts';
export { type SchemaValidation, validateSchema } from './schema.ts';
export { revealSecret, Secret, toSecret } from './secret.ts';
export {
  createSecretCipher,
  MIN_SECRET_KEY_LENGTH,
  type SecretCipher,
  type SecretCipherOptions,
} from './secret-cipher.ts';
export {
  createMemorySeenIdStore,
  MAX_SEEN_ID_KEY_LENGTH,
  type MemorySeenIdStore,
  type MemorySeenIdStoreOptions,
  type SeenIdStore,
  validateSeenIdRequest,
} from './seen-id-store.ts';
export { settle, unexpectedFailure } from './settle.ts';
export { sleep } from './sleep.ts';
export { stableHash, stableStringify } from './stable-hash.ts';
export {
  type SignStandardWebhookOptions,
  type StandardWebhook,
  signStandardWebhook,
  type VerifyStandardWebhookOptions,
  verifyStandardWebhook,
} from './standard-webhooks.ts';
export type {
  ConfigRowStore,
  IntegrationStore,
  Lease,
  Mapping,
  MappingScope,
  MappingStore,
  OutboxEntry,
  RunCounts,
  StoredIntegrationConfig,
  StoredIntegrationConfigInput,
  SyncMode,
  SyncRun,
  SyncStateStore,
} from './store.ts';
export { guardStore } from './store-guard.ts';
export {
  type IntegrationConfigRow,
  integrationConfigFromRow,
  type SyncRunRow,
  syncRunFromRow,
} from './store-rows.ts';
export {
  MAX_BATCH_ENTRIES,
  MAX_SECRETS_PER_CONFIG,
  validateCheckpoint,
  validateConfigRowInput,
  validateExternalIds,
  validateLease,
  validateLeaseRequest,
  validateLimitOption,
  validateMappingBatch,
  validateName,
  validateOutboxBatch,
  validateRunFinish,
  validateRunOutcome,
  validateScope,
} from './store-validation.ts';
export { timeoutSignal, withTimeout } from './timeout.ts';
export {
  readWebhookBody,
  readWebhookClock,
  readWebhookHeader,
  readWebhookTolerance,
  type WebhookBody,
  type WebhookHeaders,
} from './webhook-input.ts';
export {
  type MarkWebhookDelivery,
  readWebhookReplay,
  type WebhookReplayOptions,
} from './webhook-replay.ts';
export { type WithRetryOptions, withRetry } from './with-retry.ts';

// --- OAuth2 (oauth/): the authorization-code flow with PKCE, the token manager and its token stores. ---

export {
  type AuthorizationRequest,
  type BuildAuthorizationUrlOptions,
  buildAuthorizationUrl,
} from './oauth/authorization-url.ts';
export {
  type ConfigOAuth2TokenStoreOptions,
  createConfigOAuth2TokenStore,
} from './oauth/config-token-store.ts';
export { type ExchangeCodeOptions, exchangeCode } from './oauth/exchange-code.ts';
export {
  createOAuth2TokenManager,
  type OAuth2RefreshLock,
  type OAuth2TokenManager,
  type OAuth2TokenManagerOptions,
} from './oauth/token-manager.ts';
export type { OAuth2ClientAuth } from './oauth/token-request.ts';
export {
  type OAuth2TokenResponse,
  type OAuth2TokenSet,
  oauth2TokenResponseSchema,
  parseOAuth2TokenSet,
  serializeOAuth2TokenSet,
} from './oauth/token-set.ts';
export { createMemoryOAuth2TokenStore, type OAuth2TokenStore } from './oauth/token-store.ts';
