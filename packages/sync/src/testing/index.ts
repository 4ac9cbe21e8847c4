// Test helpers for connector authors (`@patchbay/sync/testing`); they import vitest, so keep them out of
// production bundles: nothing in the main entry point imports this file.
export {
  createMemoryRemote,
  type MemoryRemote,
  type MemoryRemoteFault,
  type MemoryRemoteOptions,
  type MemoryRemoteRecord,
} from './memory-remote.ts';
export {
  describeSyncContract,
  SYNC_CONTRACT_FAULTS,
  type SyncContractEngine,
  type SyncContractFault,
  type SyncContractRemote,
  type SyncContractStore,
  type SyncContractTarget,
  type SyncContractWorker,
  type SyncContractWorkerEvent,
  type SyncContractWorkerSpec,
  type SyncContractWorkerStore,
} from './sync-contract.ts';
