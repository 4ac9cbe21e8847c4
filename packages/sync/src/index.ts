export { createSyncEngine, type SyncEngine, type SyncRecords, type SyncUpsertOutcome } from './engine.ts';
export { type SyncFrontOptions, splitSyncOptions } from './front-options.ts';
export type { SyncLeaseOptions } from './lease.ts';
export { type SyncEngineOptions, syncEngineOptionSchemas } from './options.ts';
export type { RecoveryReport } from './recover.ts';
export type { SyncFailure, SyncProgress, SyncReport } from './report.ts';
export type { ParentIdOf, SyncObject, SyncParent, SyncRecordOf } from './sync-object.ts';
export type {
  RemoteMatch,
  SyncRemote,
  SyncWriteItem,
  SyncWriteOutcome,
  SyncWriteResult,
} from './sync-remote.ts';
