export { SQLITE_SCHEMA_VERSION } from './migrations.ts';
export { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
