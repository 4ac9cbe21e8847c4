import { parseOptions } from '@patchbay/core';
import * as z from 'zod/mini';

/** Options of `createPostgresStore`. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`; query parameters such as `sslmode` are honoured. */
  connectionString: string;
  /** Most connections the pool opens. Default 10. */
  poolSize?: number;
  /** The schema the tables live in, created on open. Lower-case letters, digits and `_`. Default `patchbay`. */
  schema?: string;
  /** Deadline for opening one connection (TCP, TLS and authentication). Default 10 000 ms. */
  connectTimeoutMs?: number;
}

/** The options after validation and defaults. */
export type ResolvedPostgresStoreOptions = Required<PostgresStoreOptions>;

const optionsSchema = z.object({
  connectionString: z.string().check(
    // Never echo the value: it carries the password.
    z.regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres:// or postgresql:// URL'),
  ),
  poolSize: z._default(z.int().check(z.positive(), z.maximum(1_000)), 10),
  // Restricted to what needs no quoting, so the name is safe to splice into migration DDL.
  schema: z._default(
    z
      .string()
      .check(
        z.regex(
          /^[a-z_][a-z0-9_]{0,62}$/,
          'must be 1–63 lower-case letters, digits or _, not starting with a digit',
        ),
      ),
    'patchbay',
  ),
  connectTimeoutMs: z._default(z.int().check(z.positive(), z.maximum(2_147_483_647)), 10_000),
});

/** Validates the options (throws `CONFIG_ERROR` naming each bad field, never its value) and applies defaults. */
export function resolveStoreOptions(options: PostgresStoreOptions): ResolvedPostgresStoreOptions {
  return parseOptions(optionsSchema, options, { label: 'PostgreSQL store options' });
}

/** The password of a connection string, raw and percent-decoded, for scrubbing it out of error messages. */
export function connectionSecrets(connectionString: string): string[] {
  const match = /^[a-z]+:\/\/[^/@]*?:([^/@]*)@/i.exec(connectionString);
  const raw = match?.[1];
  if (!raw) return [connectionString];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // A malformed escape: the raw form is what the driver would show anyway.
  }
  return [...new Set([connectionString, raw, decoded])];
}
