export {
  type AdminHandlerOptions,
  type AdminPrincipal,
  createAdminHandler,
} from './admin-handler.ts';
export type { AdminErrorBody, AdminErrorCode } from './admin-http.ts';
export type { AdminConfigView } from './admin-view.ts';
export { type OpenStoreOptions, openStore } from './open-store.ts';
export { createSyncFromEnv, type SyncFromEnv, type SyncFromEnvOptions } from './sync-from-env.ts';
