// Where the tests' PostgreSQL comes from, and per-test schemas on it.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, afterEach, describe, it } from 'vitest';
import { createPostgresStore, type PostgresStore, type PostgresStoreOptions } from '../src/index.ts';

/** The server the tests use: `PATCHBAY_TEST_POSTGRES_URL`, else the local default. */
export const TEST_URL = process.env.PATCHBAY_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function probe(url: string): Promise<string | undefined> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return undefined;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return `${error instanceof Error ? error.message || error.name : String(error)}${code ? ` (${String(code)})` : ''}`;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Why no server answered, or undefined when one did. Probed once per test file. */
export const unavailable = await probe(TEST_URL);

/**
 * `describe` for tests that need the server. Without one: skipped locally (saying so), but FAILED in CI,
 * where a missing server is a broken setup, not a reason to pass.
 */
export function describePostgres(name: string, body: () => void): void {
  if (!unavailable) {
    describe(name, body);
    return;
  }
  const where = TEST_URL.replace(/:[^/@:]*@/, ':***@');
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('has a PostgreSQL server to test against', () => {
        throw new Error(`No PostgreSQL at ${where}: ${unavailable}. Set PATCHBAY_TEST_POSTGRES_URL.`);
      });
    });
    return;
  }
  process.stderr.write(`[store-postgres] skipping "${name}": no PostgreSQL at ${where} (${unavailable})\n`);
  describe.skip(name, body);
}

/** A fresh, unused schema name. */
export const randomSchema = (): string => `pb_test_${randomBytes(6).toString('hex')}`;

/** A separate connection for setting up, inspecting and interfering with the store under test. */
export function adminConnection(): postgres.Sql {
  return postgres(TEST_URL, {
    max: 2,
    onnotice: () => {},
    connection: { application_name: 'patchbay-test-admin' },
  });
}

/** Drops the schemas (and everything in them). */
export async function dropSchemas(admin: postgres.Sql, schemas: Iterable<string>): Promise<void> {
  for (const schema of schemas) await admin.unsafe(`drop schema if exists "${schema}" cascade`);
}

/** TEST_URL with a connection parameter added (e.g. application_name, to find the backend later). */
export function urlWith(params: Record<string, string>): string {
  const url = new URL(TEST_URL);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

/**
 * Registers hooks that close every store a test opened and drop every schema it used; returns `open`,
 * which makes a store on a fresh schema (or on `schema`, to share one between stores).
 */
export function useFreshStores(): {
  open: (options?: Partial<PostgresStoreOptions>) => PostgresStore;
  admin: () => postgres.Sql;
} {
  const schemas = new Set<string>();
  const stores: PostgresStore[] = [];
  let admin: postgres.Sql | undefined;
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    if (!admin && schemas.size === 0) return;
    admin ??= adminConnection();
    await dropSchemas(admin, schemas);
    await admin.end({ timeout: 1 });
  });
  return {
    open(options = {}) {
      const schema = options.schema ?? randomSchema();
      schemas.add(schema);
      const store = createPostgresStore({ connectionString: TEST_URL, ...options, schema });
      stores.push(store);
      return store;
    },
    admin: () => {
      admin ??= adminConnection();
      return admin;
    },
  };
}
