export type { PostgresStoreOptions } from './options.ts';
export { createPostgresStore, type PostgresStore } from './store.ts';
