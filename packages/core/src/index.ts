// The main entry, `@patchbay/core`: what a client and a connector use (results and errors, the HTTP client,
// resilience, configuration and connectors, secrets, webhook verification). The OAuth2 flow is in
// `@patchbay/core/oauth`, what store adapters and the sync engine need in `@patchbay/core/store`, the contract
// suites in `@patchbay/core/testing`, so that a client's bundle holds none of them.
export { type ConfigSource, envSource, type ResolvedConfig, resolveConfig } from './config/config.ts';
export { booleanFromEnv, httpUrl, secretString, syncModeName } from './config/config-schemas.ts';
export {
  type ConfigStore,
  type ConfigStoreOptions,
  createConfigStore,
  type IntegrationConfig,
  type IntegrationConfigInput,
  integrationConfigInputSchema,
  integrationConfigSchema,
} from './config/config-store.ts';
export {
  type IntegrationConfigDefaults,
  type ResolvedIntegrationConfig,
  type ResolveIntegrationConfigOptions,
  resolveIntegrationConfig,
} from './config/integration-config.ts';
export type { ConnectionTestOptions, ConnectionTestResult } from './connector/connection-test.ts';
export {
  type ConnectorFromOptionsSettings,
  type ConnectorOptions,
  type CreateFromConnectorOptionsSettings,
  createFromConnectorOptions,
  type RequiredCredentials,
  requireConnectorCredentials,
  resolveConnectorFromOptions,
} from './connector/connector-options.ts';
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
export { type ProbeConnectionOptions, probeConnection } from './connector/probe-connection.ts';
export {
  type ConnectorConfigDefaults,
  type ResolveConnectorConfigOptions,
  resolveConnectorConfig,
} from './connector/resolve-connector-config.ts';
export { fromBase64, fromHex, toBase64, toBase64Url, toHex, utf8 } from './encoding/encoding.ts';
export { stableHash, stableStringify } from './encoding/stable-hash.ts';
export type { AccessTokenSource, AuthOption } from './http/auth.ts';
export {
  codeForStatus,
  type ErrorMapper,
  type ErrorMapping,
  type ErrorResponse,
  errorFromResponse,
  type FailedResponse,
} from './http/classify.ts';
export {
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpHooks,
  type HttpResponse,
  type RequestOptions,
} from './http/http-client.ts';
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
} from './http/pagination.ts';
export { encodePathSegment, type PathSegmentOptions } from './http/path-segment.ts';
export { parseRetryAfterMs, type ResetUnit } from './http/retry-after.ts';
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
} from './input/caller-input.ts';
export { readJsonInput } from './input/json-input.ts';
export { type JsonValue, type JsonValueOptions, toJsonValue } from './input/json-value.ts';
export { optionsObject, parseOptions } from './input/options.ts';
export { type SchemaValidation, validateSchema } from './input/schema.ts';
export { type LogFields, type Logger, noopLogger } from './logging/logger.ts';
export { redact, redactHeaders, redactUrl } from './logging/redact.ts';
export {
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
  createCircuitBreaker,
} from './resilience/circuit-breaker.ts';
export {
  applyCircuitProbeClaim,
  applyCircuitProbeRelease,
  applyCircuitRecord,
  type CircuitPolicy,
  type CircuitProbeClaim,
  type CircuitSnapshot,
  type CircuitStateStore,
  circuitStateAt,
  createMemoryCircuitStateStore,
  MAX_CIRCUIT_KEY_LENGTH,
  validateCircuitKey,
  validateCircuitRecord,
  validateCircuitRelease,
} from './resilience/circuit-state-store.ts';
export { combineRateLimiters } from './resilience/combine-rate-limiters.ts';
export {
  createMemoryFailureWindowStore,
  type FailureWindowCount,
  type FailureWindowPolicy,
  type FailureWindowRecord,
  type FailureWindowStore,
  validateFailureWindowRecord,
} from './resilience/failure-window-store.ts';
export { createIdempotencyKey, type IdempotencyOptions } from './resilience/idempotency.ts';
export { isRateLimiter } from './resilience/is-rate-limiter.ts';
export {
  createMemoryRateLimitStore,
  type RateLimitBucket,
  type RateLimitStore,
} from './resilience/rate-limit-store.ts';
export {
  createRateLimiter,
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimitFeedback,
} from './resilience/rate-limiter.ts';
export { backoffDelay, DEFAULT_RETRY_OPTIONS, type RetryOptions } from './resilience/retry.ts';
export { sleep } from './resilience/sleep.ts';
export { timeoutSignal, withTimeout } from './resilience/timeout.ts';
export { type WithRetryOptions, withRetry } from './resilience/with-retry.ts';
export {
  ERROR_CODES,
  type ErrorCode,
  type FieldIssue,
  IntegrationError,
  type IntegrationErrorOptions,
  isIntegrationError,
  reviseError,
} from './result/errors.ts';
export { type ApiResult, err, isErr, isOk, mapResult, ok, unwrap } from './result/result.ts';
export { settle, unexpectedFailure } from './result/settle.ts';
export { revealSecret, Secret, toSecret } from './secrets/secret.ts';
export {
  createSecretCipher,
  MIN_SECRET_KEY_LENGTH,
  type SecretCipher,
  type SecretCipherOptions,
} from './secrets/secret-cipher.ts';
export {
  createMemorySeenIdStore,
  type MemorySeenIdStore,
  type MemorySeenIdStoreOptions,
  type SeenIdStore,
} from './store/seen-id-store.ts';
export type { IntegrationStore, SyncMode } from './store/store.ts';
export {
  type HmacAlgorithm,
  type HmacEncoding,
  type HmacSecret,
  hmacKeyBytes,
  type SignHmacOptions,
  signHmac,
  type VerifyHmacSignatureOptions,
  verifyHmacSignature,
} from './webhooks/hmac.ts';
export {
  type SignStandardWebhookOptions,
  type StandardWebhook,
  signStandardWebhook,
  type VerifyStandardWebhookOptions,
  verifyStandardWebhook,
} from './webhooks/standard-webhooks.ts';
export {
  readWebhookBody,
  readWebhookClock,
  readWebhookHeader,
  readWebhookTolerance,
  type WebhookBody,
  type WebhookHeaders,
} from './webhooks/webhook-input.ts';
export {
  type MarkWebhookDelivery,
  readWebhookReplay,
  type WebhookReplayOptions,
} from './webhooks/webhook-replay.ts';
