// One admin API for every registered connector: what each accepts is derived from its descriptor, and the
// security behaviour (deny by default, capped JSON bodies, no secret ever answered) is written once, here.
import {
  type ApiResult,
  type ConfigStore,
  type Connector,
  type ConnectorConfig,
  err,
  type FieldIssue,
  type IntegrationConfig,
  type IntegrationConfigInput,
  IntegrationError,
  isConnector,
  isErr,
  isOk,
  optionsObject,
  parseOptions,
  type Secret,
  settle,
  toSecret,
} from '@patchbay/core';
import type { ConfigRowStore, StoredIntegrationConfig } from '@patchbay/core/store';
import * as z from 'zod/mini';
import { type ConfigUpdate, checkSettings, parseConfigBody, parseTestBody } from './admin-body.ts';
import {
  errorResponse,
  type IncomingRequest,
  json,
  readJson,
  readRequest,
  storeFailure,
  validationError,
} from './admin-http.ts';
import { VIEW_FIELDS, viewOfConfig, viewOfRow } from './admin-view.ts';

/** Who an admin request acts for; `userId` is recorded as `createdBy` / `updatedBy`. */
export interface AdminPrincipal {
  userId: string;
}

/** Options of {@link createAdminHandler}. */
export interface AdminHandlerOptions {
  /** The connectors served (`defineConnector`), each under `{basePath}/{id}`. */
  connectors: readonly Connector[];
  /** Where configurations live, decrypted and validated: `createConfigStore({ rows: store.configs, secretKey })`. */
  configs: ConfigStore;
  /**
   * The raw rows under `configs` (`store.configs`). With them, GET shows which secrets are set without decrypting
   * anything, so it still answers after the secret key was rotated; without them such a GET is a 500 naming
   * the secret that no longer decrypts.
   */
  rows?: ConfigRowStore;
  /** Your auth: the admin behind the request, or `null` to deny (401). A throw answers 500. */
  authorize: (request: Request) => Promise<AdminPrincipal | null> | AdminPrincipal | null;
  /** Where the admin API lives. Default `/api/admin`. */
  basePath?: string;
  /** Connector id → the path its routes live under instead of `{basePath}/{id}` (to keep an existing URL). */
  paths?: Record<string, string>;
  /** The fetch connection tests use. Default the global fetch. */
  fetch?: typeof fetch;
  /** Deadline of a connection test. Default the connector's. */
  testTimeoutMs?: number;
}

// Schemas are built in `/* @__PURE__ */` calls (a bundler keeps an unused top-level call unless told it has no
// side effects): a bundle of this entry without the admin handler drops them (npm run check:edge).
const PATH = /^\/[^?#]*$/;
const pathSchema = /* @__PURE__ */ (() =>
  z.string({ error: 'must be a string' }).check(z.regex(PATH, 'must be a path starting with /')))();
const isFunction = (value: unknown) => typeof value === 'function';
const hasMethods =
  (...methods: string[]) =>
  (value: unknown): boolean => {
    if (typeof value !== 'object' || value === null) return false;
    try {
      return methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
    } catch {
      return false;
    }
  };

const optionsSchema = /* @__PURE__ */ (() =>
  z.object({
    connectors: z.array(z.custom<Connector>(isConnector, 'must be a connector made by defineConnector'), {
      error: 'must be an array of connectors',
    }),
    configs: z.custom<ConfigStore>(
      hasMethods('getConfig', 'createConfig', 'updateConfig', 'exists'),
      'must be a ConfigStore (createConfigStore)',
    ),
    rows: z.optional(z.custom<ConfigRowStore>(hasMethods('get'), 'must be a ConfigRowStore (store.configs)')),
    authorize: z.custom<AdminHandlerOptions['authorize']>(isFunction, 'must be a function'),
    basePath: z._default(pathSchema, '/api/admin'),
    paths: z.optional(
      z.record(z.string(), pathSchema, { error: 'must be an object of connector id → path' }),
    ),
    fetch: z.optional(z.custom<typeof fetch>(isFunction, 'must be a function')),
    testTimeoutMs: z.optional(z.int().check(z.minimum(1, 'must be at least 1'))),
  }))();

/** One method of one route, for one connector. */
type Route = (connector: Connector, request: IncomingRequest, principal: AdminPrincipal) => Promise<Response>;

const trimSlashes = (path: string) => path.replace(/\/+$/, '');

/**
 * The admin API of every connector given, as a fetch-style handler for any server (Node, Bun, Deno, Next.js
 * route handlers, Hono…). For each connector, under `{basePath}/{id}`:
 *
 * - `GET …/config` → `{ config: AdminConfigView | null }`: non-secret credentials and settings shown, each
 *   secret only as `{ set: boolean }`.
 * - `PUT …/config` with `{ baseUrl?, <credential>?, enabled?, syncMode?, settings? }` → `{ config }`; creates
 *   the row when missing. An omitted field stays as saved, `null` clears it; credentials by name, `syncMode`
 *   one of the connector's modes, `settings` (replacing the saved ones) through its settings schema.
 * - `POST …/test-connection` with an optional `{ baseUrl?, <credential>? }` → the connector's guarded
 *   `testConnection` result (200 even when `ok` is false); what the body lacks comes from the saved
 *   configuration, and a saved secret is only ever sent to the saved host.
 *
 * Every request under `basePath` is authorized first, even its 404s (`null` → 401). Bodies must be JSON
 * (`application/json` or `+json`), at most 64 KiB. No secret is ever answered, echoed in an error, or logged.
 * Throws `CONFIG_ERROR` for invalid options (two connectors with one id or path, a credential named after a
 * view field).
 * @example
 * const configs = createConfigStore({ rows: store.configs, secretKey: env.PATCHBAY_SECRET_KEY });
 * const handle = createAdminHandler({ connectors: [acmeConnector], configs, rows: store.configs, authorize: adminOf });
 * export const GET = handle, PUT = handle, POST = handle; // Next.js app/api/admin/[...path]/route.ts
 */
export function createAdminHandler(options: AdminHandlerOptions): (request: Request) => Promise<Response> {
  const label = 'admin handler options';
  // A plain copy read once: a Proxy or a throwing getter is a CONFIG_ERROR, not a TypeError.
  const plain = optionsObject(options, { label });
  const parsed = parseOptions(optionsSchema, plain, { label });
  const { connectors, configs, rows, authorize, fetch: fetchImpl, testTimeoutMs } = parsed;
  const base = trimSlashes(parsed.basePath);

  const mounts = new Map<string, Connector>();
  const issues: FieldIssue[] = [];
  if (connectors.length === 0) issues.push({ field: 'connectors', message: 'must not be empty' });
  const ids = new Set(connectors.map((connector) => connector.id));
  for (const id of Object.keys(parsed.paths ?? {})) {
    if (!ids.has(id))
      issues.push({ field: `paths.${id.slice(0, 64)}`, message: 'is not the id of a connector given' });
  }
  connectors.forEach((connector, index) => {
    const path = trimSlashes(parsed.paths?.[connector.id] ?? `${base}/${connector.id}`);
    if (mounts.has(path))
      issues.push({ field: `connectors.${index}`, message: 'has the path of another connector' });
    mounts.set(path, connector);
    for (const name of Object.keys(connector.credentials)) {
      if (VIEW_FIELDS.has(name)) {
        issues.push({
          field: `connectors.${index}`,
          message: `has a credential named ${name}, a field of the view`,
        });
      }
    }
  });
  if (issues.length > 0) {
    const summary = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    throw new IntegrationError('CONFIG_ERROR', `Invalid ${label}: ${summary}`, {
      field: issues[0]?.field,
      issues,
    });
  }
  // Longest first: a connector mounted inside another's path is matched before it.
  const prefixes = [...mounts.keys()].sort((a, b) => b.length - a.length);
  const within = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

  const calls = createCalls(configs, rows);

  async function getConfig(connector: Connector): Promise<Response> {
    const id = connector.id;
    if (!rows) {
      const read = await calls.getConfig(id);
      if (!read.success) return storeFailure(read.error);
      return json(200, { config: read.data === null ? null : viewOfConfig(connector, read.data) });
    }
    // The raw row first: showing which secrets are set needs no key, and still works when the secret key was
    // rotated. Only non-secret credentials need decrypting, and only when one is stored.
    const row = await calls.getRow(id);
    if (!row.success) return storeFailure(row.error);
    if (row.data === null) return json(200, { config: null });
    const stored = row.data.secrets ?? {};
    const needsDecrypting = Object.entries(connector.credentials).some(
      ([name, credential]) => !credential.secret && Object.hasOwn(stored, name),
    );
    if (!needsDecrypting) return json(200, { config: viewOfRow(connector, row.data) });
    const read = await calls.getConfig(id);
    if (read.success && read.data) return json(200, { config: viewOfConfig(connector, read.data) });
    if (read.success) return json(200, { config: null });
    if (!read.error.field?.startsWith('secrets.')) return storeFailure(read.error);
    return json(200, { config: viewOfRow(connector, row.data) });
  }

  async function putConfig(
    connector: Connector,
    request: IncomingRequest,
    principal: AdminPrincipal,
  ): Promise<Response> {
    const body = await readJson(request, { required: true });
    if (body instanceof Response) return body;
    const update = await parseConfigBody(connector, body);
    if (update instanceof Response) return update;
    const input = toConfigInput(update);
    const id = connector.id;
    const exists = await calls.exists(id);
    if (!exists.success) return storeFailure(exists.error);
    let saved = exists.data
      ? await calls.updateConfig(id, input, principal.userId)
      : await calls.createConfig(id, input, principal.userId);
    // Two admins saving the first configuration at once: the second one's write becomes an update.
    if (!saved.success && saved.error.code === 'CONFLICT' && !exists.data) {
      saved = await calls.updateConfig(id, input, principal.userId);
    }
    if (!saved.success) return storeFailure(saved.error);
    return json(200, { config: viewOfConfig(connector, saved.data) });
  }

  async function postTestConnection(connector: Connector, request: IncomingRequest): Promise<Response> {
    const test = connector.testConnection;
    if (!test) return errorResponse(404, 'NOT_FOUND', 'Not found');
    const body = await readJson(request, { required: false });
    if (body instanceof Response) return body;
    const overrides = await parseTestBody(connector, body);
    if (overrides instanceof Response) return overrides;
    const names = Object.keys(connector.credentials);
    const complete = overrides.baseUrl !== undefined && names.every((name) => name in overrides.credentials);
    let saved: IntegrationConfig | null = null;
    if (!complete || connector.settings) {
      const read = await calls.getConfig(connector.id);
      if (!read.success) return storeFailure(read.error);
      saved = read.data;
    }
    const config = await testConfig(connector, overrides, saved);
    if (config instanceof Response) return config;
    const result = await test.call(connector, config, {
      ...(fetchImpl && { fetch: fetchImpl }),
      ...(testTimeoutMs !== undefined && { timeoutMs: testTimeoutMs }),
    });
    return json(200, result);
  }

  const routes: Record<string, Record<string, Route>> = {
    '/config': { GET: (connector) => getConfig(connector), PUT: putConfig },
    '/test-connection': { POST: (connector, request) => postTestConnection(connector, request) },
  };

  return async function handleAdmin(request: Request): Promise<Response> {
    try {
      // Whatever the server hands over is read once, defensively: a value that is not a request is a 400
      // naming the part that could not be read, never an exception.
      const incoming = readRequest(request);
      if (incoming instanceof Response) return incoming;
      const path = trimSlashes(incoming.pathname);
      if (!within(path, base) && !prefixes.some((prefix) => within(path, prefix))) {
        return errorResponse(404, 'NOT_FOUND', 'Not found');
      }
      // Deny by default: nothing under basePath, not even its 404s and 405s, answers before authorization.
      let principal: AdminPrincipal | null;
      try {
        principal = await authorize(request);
      } catch {
        return errorResponse(500, 'SERVER_ERROR', 'Authorization failed');
      }
      if (principal === null || principal === undefined) {
        return errorResponse(401, 'AUTH_ERROR', 'Authentication required', {
          'www-authenticate': 'Bearer realm="patchbay-admin"',
        });
      }
      if (typeof principal.userId !== 'string' || principal.userId.length === 0) {
        return errorResponse(500, 'SERVER_ERROR', 'Authorization failed');
      }
      const prefix = prefixes.find((candidate) => within(path, candidate));
      const connector = prefix === undefined ? undefined : mounts.get(prefix);
      const route = prefix === undefined ? undefined : routes[path.slice(prefix.length)];
      if (!connector || !route) return errorResponse(404, 'NOT_FOUND', 'Not found');
      const run = route[incoming.method];
      if (!run) {
        return errorResponse(405, 'METHOD_NOT_ALLOWED', `Use ${Object.keys(route).join(' or ')}`, {
          allow: Object.keys(route).join(', '),
        });
      }
      return await run(connector, incoming, principal);
    } catch {
      // Nothing of the failure is answered: it could carry a request body, hence a secret.
      return errorResponse(500, 'SERVER_ERROR', 'Internal error');
    }
  };
}

/** A PUT's changes as the configuration store's input: every credential goes to `secrets`, by name. */
function toConfigInput(update: ConfigUpdate): IntegrationConfigInput {
  const input: IntegrationConfigInput = {};
  if (update.baseUrl !== undefined) input.baseUrl = update.baseUrl;
  if (Object.keys(update.credentials).length > 0) input.secrets = { ...update.credentials };
  if (update.enabled !== undefined) input.enabled = update.enabled;
  if (update.syncMode !== undefined) input.syncMode = update.syncMode;
  if (update.settings !== undefined) input.settings = update.settings ?? {};
  return input;
}

/**
 * The configuration a connection test runs with: the body's values, else the saved ones, else the connector's
 * default base URL. A saved secret goes only to the saved host: otherwise anyone able to make an admin's browser
 * post here could have it sent to a server of their choosing. A 400 names what is missing.
 */
async function testConfig(
  connector: Connector,
  overrides: { baseUrl?: string; credentials: Record<string, string> },
  saved: IntegrationConfig | null,
): Promise<ConnectorConfig | Response> {
  const savedHost = saved?.baseUrl ?? connector.baseUrl.default ?? null;
  const baseUrl = overrides.baseUrl ?? savedHost ?? undefined;
  const issues: FieldIssue[] = [];
  if (baseUrl === undefined && connector.baseUrl.required) {
    issues.push({ field: 'baseUrl', message: 'is required: no base URL is saved' });
  }
  const savedSecretsUsable =
    overrides.baseUrl === undefined || (savedHost !== null && sameOrigin(savedHost, overrides.baseUrl));
  const credentials: Record<string, string | Secret> = {};
  for (const [name, credential] of Object.entries(connector.credentials)) {
    const given = overrides.credentials[name];
    if (given !== undefined) {
      credentials[name] = credential.secret ? toSecret(given) : given;
      continue;
    }
    const stored = saved && Object.hasOwn(saved.secrets, name) ? saved.secrets[name] : undefined;
    if (stored && (!credential.secret || savedSecretsUsable)) {
      credentials[name] = credential.secret ? stored : stored.reveal();
    } else if (stored && credential.required) {
      issues.push({ field: name, message: 'is required when baseUrl is on another host than the saved one' });
    } else if (credential.required) {
      issues.push({ field: name, message: `is required: no ${name} is saved` });
    }
  }
  const settings = await checkSettings(connector, saved?.settings ?? {});
  for (const issue of settings.issues) {
    issues.push({ field: issue.field, message: `is invalid as saved: ${issue.message}` });
  }
  if (issues.length > 0) return validationError(issues);
  return {
    integration: connector.id,
    ...(baseUrl !== undefined && { baseUrl }),
    credentials,
    enabled: saved?.enabled ?? false,
    syncMode: saved?.syncMode ?? connector.defaultMode,
    settings: settings.value as Record<string, unknown>,
  };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

interface Calls {
  /** Only called when the handler has rows. */
  getRow(integration: string): Promise<ApiResult<StoredIntegrationConfig | null>>;
  getConfig(integration: string): Promise<ApiResult<IntegrationConfig | null>>;
  exists(integration: string): Promise<ApiResult<boolean>>;
  createConfig(
    integration: string,
    input: IntegrationConfigInput,
    userId: string,
  ): Promise<ApiResult<IntegrationConfig>>;
  updateConfig(
    integration: string,
    input: IntegrationConfigInput,
    userId: string,
  ): Promise<ApiResult<IntegrationConfig>>;
}

// The caller's stores behind a guard: a method that throws, rejects or answers something that is not an
// ApiResult is a typed failure (a 500 that says nothing of it), never an exception inside a request.
function createCalls(configs: ConfigStore, rows: ConfigRowStore | undefined): Calls {
  const call = async <T>(operation: string, work: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> => {
    const result = await settle(operation, work);
    if (isOk(result) || isErr(result)) return result;
    return err(
      new IntegrationError('OPERATION_FAILED', `${operation} answered something that is not an ApiResult`, {
        retryable: false,
      }),
    );
  };
  return {
    getRow: (id) => call('rows.get', () => (rows as ConfigRowStore).get(id)),
    getConfig: (id) => call('configs.getConfig', () => configs.getConfig(id)),
    exists: (id) => call('configs.exists', () => configs.exists(id)),
    createConfig: (id, input, userId) =>
      call('configs.createConfig', () => configs.createConfig(id, input, userId)),
    updateConfig: (id, input, userId) =>
      call('configs.updateConfig', () => configs.updateConfig(id, input, userId)),
  };
}
