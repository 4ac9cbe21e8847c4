// Opening a store from a database URL: the one place that knows the store packages. They are optional peers,
// imported only when a URL names them, so an app on PostgreSQL never loads node:sqlite and the reverse.
import {
  type ApiResult,
  err,
  IntegrationError,
  isIntegrationError,
  ok,
  readOptions,
  reviseError,
} from '@patchbay/core';
import { createMemoryStore, type IntegrationStore } from '@patchbay/core/store';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** What errors call the URL, e.g. the variable it came from (`PATCHBAY_DATABASE_URL`). Default `url`. */
  field?: string;
}

/** The URL forms {@link openStore} opens, as its errors list them. */
const FORMS = 'sqlite:<path>, file:<path>, :memory:, memory: or postgres://… (postgresql://…)';

type StoreTarget =
  | { kind: 'memory' }
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string }
  | { kind: 'invalid'; message: string };

/**
 * Opens the store a database URL names: `sqlite:<path>` or `file:<path>` (`file:///abs/path` too) and `:memory:`
 * → `@patchbay/store-sqlite`; `postgres://…` or `postgresql://…` → `@patchbay/store-postgres` (which connects on
 * first use); `memory:` → core's in-process memory store (lost at exit). Never throws or rejects: a URL of
 * another form, a store package that is not installed (the error says which one to install) or a file that
 * cannot be opened is a `CONFIG_ERROR` naming `options.field`. The URL's password never appears in an error.
 * @example
 * const opened = await openStore(process.env.PATCHBAY_DATABASE_URL ?? 'sqlite:./patchbay.db');
 * if (!opened.success) throw opened.error;
 */
export async function openStore(
  url: string,
  options?: OpenStoreOptions,
): Promise<ApiResult<IntegrationStore>> {
  const read = readOptions(options, ['field'], 'options');
  if (!read.success) return err(reviseError(read.error, { code: 'CONFIG_ERROR' }));
  const field = typeof read.data.field === 'string' && read.data.field !== '' ? read.data.field : 'url';
  const target = parseStoreUrl(url);
  try {
    switch (target.kind) {
      case 'invalid':
        return err(configError(field, target.message));
      case 'memory':
        return ok(createMemoryStore());
      case 'sqlite': {
        const sqlite = await importStore<typeof import('@patchbay/store-sqlite')>(
          '@patchbay/store-sqlite',
          field,
        );
        if (!sqlite.success) return sqlite;
        return ok(sqlite.data.createSqliteStore({ path: target.path }));
      }
      case 'postgres': {
        const postgres = await importStore<typeof import('@patchbay/store-postgres')>(
          '@patchbay/store-postgres',
          field,
        );
        if (!postgres.success) return postgres;
        return ok(postgres.data.createPostgresStore({ connectionString: target.url }));
      }
    }
  } catch (error) {
    return err(openFailure(error, field, typeof url === 'string' ? url : ''));
  }
}

/** What a URL names; never throws. Internal (tested beside). */
export function parseStoreUrl(url: unknown): StoreTarget {
  if (typeof url !== 'string') return { kind: 'invalid', message: `must be a string: ${FORMS}` };
  const value = url.trim();
  if (/^postgres(ql)?:\/\//i.test(value)) return { kind: 'postgres', url: value };
  if (value.toLowerCase() === 'memory:') return { kind: 'memory' };
  if (value === ':memory:') return { kind: 'sqlite', path: ':memory:' };
  const scheme = /^(sqlite|file):/i.exec(value)?.[1]?.toLowerCase();
  if (!scheme) return { kind: 'invalid', message: `must be one of ${FORMS}` };
  const rest = value.slice(scheme.length + 1);
  if (rest.startsWith('//')) {
    // `file://` is an RFC 8089 URL (`file:///var/lib/x.db`); `sqlite://` means different paths to different
    // tools (three slashes are relative to SQLAlchemy), so it is refused rather than guessed.
    if (scheme === 'sqlite') {
      return {
        kind: 'invalid',
        message: 'must be sqlite:<path> (sqlite:./patchbay.db, sqlite:/var/lib/patchbay.db)',
      };
    }
    return fileUrlPath(value);
  }
  if (rest === '') return { kind: 'invalid', message: `must name a file: ${scheme}:<path>` };
  return { kind: 'sqlite', path: rest };
}

function fileUrlPath(value: string): StoreTarget {
  try {
    const parsed = new URL(value);
    if (parsed.host !== '' && parsed.host !== 'localhost') {
      return { kind: 'invalid', message: 'must be a file on this machine (file:///path)' };
    }
    const path = decodeURIComponent(parsed.pathname);
    if (path === '' || path === '/') return { kind: 'invalid', message: 'must name a file: file:///<path>' };
    return { kind: 'sqlite', path };
  } catch {
    return { kind: 'invalid', message: 'must be a valid file: URL (file:///path)' };
  }
}

// A dynamic import of an optional peer. A package that is missing says which one to install; one that is present
// but fails to load (node:sqlite on a Node before 22.13, say) says so instead of claiming it is missing.
async function importStore<T>(name: string, field: string): Promise<ApiResult<T>> {
  try {
    return ok((await import(/* @vite-ignore */ name)) as T);
  } catch (error) {
    const missing = isModuleNotFound(error);
    const message = missing
      ? `${field} names a store of ${name}, which is not installed: npm install ${name}`
      : `${field} names a store of ${name}, which could not be loaded (it needs Node ^22.13.0 || >=23.4.0)`;
    return err(new IntegrationError('CONFIG_ERROR', message, { field }));
  }
}

function isModuleNotFound(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 3; depth++) {
    try {
      const code = (current as { code?: unknown }).code;
      if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return true;
      current = (current as { cause?: unknown }).cause;
    } catch {
      return false;
    }
  }
  return false;
}

// A store factory's throw: its own IntegrationError keeps its message unless the message holds any form of the
// URL's password (then nothing of it is kept), and names the URL's field; anything else is a generic failure.
function openFailure(error: unknown, field: string, url: string): IntegrationError {
  const generic = new IntegrationError('CONFIG_ERROR', `Could not open the store ${field} names`, { field });
  if (!isIntegrationError(error)) return generic;
  const secrets = passwordForms(url);
  const texts = [error.message, ...(error.issues ?? []).map((issue) => issue.message)];
  if (texts.some((text) => secrets.some((secret) => text.includes(secret)))) return generic;
  return reviseError(error, { code: 'CONFIG_ERROR', field });
}

/** The password of a `scheme://user:password@host` URL, as written and percent-decoded. */
export function passwordForms(url: string): string[] {
  const raw = /^[a-z][a-z0-9+.-]*:\/\/[^/@]*?:([^/@]*)@/i.exec(url)?.[1];
  if (!raw) return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // A malformed escape: the raw form is all there is.
  }
  return [...new Set([raw, decoded])].filter((form) => form !== '');
}

const configError = (field: string, message: string): IntegrationError =>
  new IntegrationError('CONFIG_ERROR', `Invalid ${field}: ${message}`, {
    field,
    issues: [{ field, message }],
  });
