// Places a test's stores live in when they are opened by path or schema (often in child processes): temporary
// directories for SQLite files and fresh PostgreSQL schema names, remembered so one call removes them all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminConnection, dropSchemas, randomSchema, unavailable } from './postgres.ts';

/** What {@link createScratch} gives: makers of directories and schemas, and the clean-up of both. */
export interface Scratch {
  /** A new empty temporary directory, its name starting with the scratch's prefix. */
  dir(): string;
  /** A fresh, unused schema name (the store creates the schema). */
  schema(): string;
  /** Removes every directory made so far and drops every schema named so far. */
  cleanUp(): Promise<void>;
}

/**
 * A scratch space whose directories are named `<prefix>…`.
 * @example const scratch = createScratch('patchbay-race-'); afterAll(scratch.cleanUp);
 */
export function createScratch(prefix: string): Scratch {
  const dirs: string[] = [];
  const schemas: string[] = [];
  return {
    dir() {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    schema() {
      const schema = randomSchema();
      schemas.push(schema);
      return schema;
    },
    async cleanUp() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
      if (schemas.length === 0 || unavailable) return;
      const admin = adminConnection();
      try {
        await dropSchemas(admin, schemas.splice(0));
      } finally {
        await admin.end({ timeout: 1 });
      }
    },
  };
}
