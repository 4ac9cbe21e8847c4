// `@patchbay/core/store`: what store adapters and the sync engine need: the IntegrationStore contract, the input
// checks every adapter shares, row conversions, guardStore, the message queue and the in-memory stores. Apart
// from the main entry so that a client user does not bundle them. `IntegrationStore`, `SyncMode`, `SeenIdStore` and the memory seen-id
// store are exported by the main entry too (the same bindings): a connector's caller and a webhook verifier use them.

export {
  validateRateLimitPeek,
  validateRateLimitTake,
  validateRateLimitUpdate,
} from '../resilience/rate-limit-store.ts';
export {
  type LeaseRow,
  leaseFromRow,
  type MappingRow,
  mappingFromRow,
  validateLeaseRenewal,
} from './adapter-rows.ts';
export { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from './memory-store.ts';
export {
  type CheckedQueueClaim,
  createMemoryQueueStore,
  MAX_QUEUE_CLAIM_LIMIT,
  MAX_QUEUE_DELAY_MS,
  MAX_QUEUE_MESSAGE_ID_LENGTH,
  MAX_QUEUE_NAME_LENGTH,
  type MemoryQueueStoreOptions,
  type QueueClaimOptions,
  type QueueMessage,
  type QueueMessageInput,
  type QueueReleaseOptions,
  type QueueStats,
  type QueueStore,
  validateQueueClaim,
  validateQueueEnqueue,
  validateQueueIds,
  validateQueueName,
  validateQueueRelease,
} from './queue-store.ts';
export {
  createMemorySeenIdStore,
  MAX_SEEN_ID_KEY_LENGTH,
  type MemorySeenIdStore,
  type MemorySeenIdStoreOptions,
  type SeenIdStore,
  validateSeenIdRequest,
} from './seen-id-store.ts';
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
