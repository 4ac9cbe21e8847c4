export { SQLITE_SCHEMA_VERSION } from './migrations.ts';
export { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
