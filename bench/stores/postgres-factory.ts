// The PostgreSQL entry of the store bench: a fresh schema per round on the server named by
// PATCHBAY_BENCH_POSTGRES_URL, or on the local default server when that answers.
import { randomBytes } from 'node:crypto';
import { createPostgresStore } from '@patchbay/store-postgres';
import postgres from 'postgres';
import type { BenchStoreFactory } from './factories.ts';

/** The server tried when PATCHBAY_BENCH_POSTGRES_URL is unset (the tests' local default). */
export const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function answers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** The server to measure: the configured one (which must answer), else the local default if it answers. */
export async function benchPostgresUrl(env: Record<string, string | undefined>): Promise<string | undefined> {
  const configured = env.PATCHBAY_BENCH_POSTGRES_URL;
  if (configured) {
    if (!(await answers(configured))) throw new Error('PATCHBAY_BENCH_POSTGRES_URL does not answer');
    return configured;
  }
  return (await answers(LOCAL_POSTGRES_URL)) ? LOCAL_POSTGRES_URL : undefined;
}

/** A store on a new schema of `url`, the schema dropped on cleanup. */
export function postgresFactory(url: string): BenchStoreFactory {
  const host = new URL(url).host;
  return {
    name: `PostgreSQL (${host}, pool of 10)`,
    async open() {
      const schema = `pb_bench_${randomBytes(6).toString('hex')}`;
      const store = createPostgresStore({ connectionString: url, schema });
      const opened = await store.ready();
      if (!opened.success) throw opened.error;
      return {
        store,
        async cleanup() {
          await store.close();
          const admin = postgres(url, { max: 1, onnotice: () => {} });
          await admin.unsafe(`drop schema if exists "${schema}" cascade`);
          await admin.end({ timeout: 1 });
        },
      };
    },
  };
}
