import { createConfigStore, optionsObject, parseOptions, type Secret } from '@patchbay/core';
import { guardStore, type IntegrationStore, type SyncMode } from '@patchbay/core/store';
import {
  type AdminErrorBody,
  type AdminErrorCode,
  type AdminPrincipal,
  createAdminHandler,
} from '@patchbay/runtime';
import * as z from 'zod/mini';
import { twentyConnector } from './connector.ts';

/** Who an admin request acts for; `userId` is recorded as `createdBy` / `updatedBy`. */
export type TwentyAdminPrincipal = AdminPrincipal;

/** Options of {@link createTwentyAdminHandler}. */
export interface TwentyAdminHandlerOptions {
  /** Where the configuration row lives (its `configs`). */
  store: IntegrationStore;
  /** Encrypts the API key at rest (≥ 16 characters, e.g. `PATCHBAY_SECRET_KEY`). */
  secretKey: string | Secret;
  /** Your auth: the admin behind the request, or `null` to deny (401). A throw answers 500. */
  authorize: (request: Request) => Promise<TwentyAdminPrincipal | null> | TwentyAdminPrincipal | null;
  /** The fetch `testConnection` uses. Default the global fetch. */
  fetch?: typeof fetch;
  /** Where the routes live. Default `/api/admin/twenty-crm`. */
  basePath?: string;
  /** Timeout of a connection test. Default 10 000 ms. */
  testTimeoutMs?: number;
}

/** The configuration as the admin API shows it. The API key is only ever reported as set or not. */
export interface TwentyAdminConfigView {
  baseUrl: string | null;
  apiKey: { set: boolean };
  enabled: boolean;
  syncMode: SyncMode;
  createdBy: string | null;
  updatedBy: string | null;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
}

/** Codes of the admin API's error bodies: Patchbay's error codes plus the HTTP-level ones. */
export type TwentyAdminErrorCode = AdminErrorCode;

/** The body of every admin API error. */
export type TwentyAdminErrorBody = AdminErrorBody;

// Schemas are built in `/* @__PURE__ */` calls (a bundler keeps an unused top-level call unless told it has no
// side effects): a bundle of this entry without the admin handler (a client) drops them (npm run check:edge).
const DEFAULT_BASE_PATH = /* @__PURE__ */ (() => `/api/admin/${twentyConnector.id}`)();

// Only what this front uses itself; the runtime's handler checks the rest under the same names.
const optionsSchema = /* @__PURE__ */ (() =>
  z.object({
    store: z.custom<IntegrationStore>(
      (value) => typeof (value as IntegrationStore | null)?.configs?.get === 'function',
      'must be an IntegrationStore',
    ),
  }))();

/**
 * The admin API of the Twenty integration (seed 000's `/api/admin/twenty-crm/…`) as a fetch-style handler
 * for any server (Node, Bun, Deno, Next.js route handlers, Hono…): `createAdminHandler` from
 * `@patchbay/runtime` serving `twentyConnector` at `basePath`.
 *
 * - `GET {basePath}/config` → `{ config: TwentyAdminConfigView | null }`
 * - `PUT {basePath}/config` with `{ baseUrl?, apiKey?, enabled?, syncMode? }` → `{ config }`; creates the
 *   row when missing. An omitted field is left as it is; `null` clears `baseUrl` or `apiKey`.
 * - `POST {basePath}/test-connection` with an optional `{ baseUrl?, apiKey? }` → `testConnection`'s result
 *   (200 even when `ok` is false). Missing values come from the saved configuration.
 *
 * Every request is authorized first (`null` → 401). The API key is encrypted at rest and never answered,
 * echoed in an error, or logged: the view says only `apiKey: { set: true }`. Throws `CONFIG_ERROR` for
 * invalid options. To serve several connectors from one handler, use `createAdminHandler` directly.
 * @example
 * const handle = createTwentyAdminHandler({ store, secretKey: env.PATCHBAY_SECRET_KEY, authorize: adminOf });
 * export const GET = handle, PUT = handle, POST = handle; // Next.js app/api/admin/twenty-crm/[...path]
 */
export function createTwentyAdminHandler(
  options: TwentyAdminHandlerOptions,
): (request: Request) => Promise<Response> {
  const label = 'Twenty admin handler options';
  // A plain copy read once: a Proxy or a throwing getter is a CONFIG_ERROR, not a TypeError.
  const plain = optionsObject(options, { label });
  const { store } = parseOptions(optionsSchema, { store: plain.store }, { label });
  // The store is the caller's: guarded, a method of it that throws answers a typed 500, like a failed call.
  const rows = guardStore(store).configs;
  const configs = createConfigStore({ rows, secretKey: plain.secretKey as string | Secret });
  const basePath = (plain.basePath ?? DEFAULT_BASE_PATH) as string;
  return createAdminHandler({
    connectors: [twentyConnector],
    configs,
    rows,
    authorize: plain.authorize as TwentyAdminHandlerOptions['authorize'],
    basePath,
    // Seed 000's routes sit right under basePath, not under `{basePath}/twenty-crm`.
    paths: { [twentyConnector.id]: basePath },
    fetch: plain.fetch as typeof fetch | undefined,
    testTimeoutMs: plain.testTimeoutMs as number | undefined,
  });
}
