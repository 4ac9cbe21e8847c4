import {
  createConfigStore,
  type ErrorCode,
  type FieldIssue,
  guardStore,
  httpUrl,
  type IntegrationConfig,
  type IntegrationError,
  type IntegrationStore,
  optionsObject,
  parseOptions,
  type Secret,
  type StoredIntegrationConfig,
  type SyncMode,
  validateSchema,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { type TwentyConnectionTest, testConnection } from './connection.ts';
import { TWENTY_SYNC_MODES, twentyConnector } from './connector.ts';

/** Who an admin request acts for; `userId` is recorded as `createdBy` / `updatedBy`. */
export interface TwentyAdminPrincipal {
  userId: string;
}

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
export type TwentyAdminErrorCode =
  | ErrorCode
  | 'METHOD_NOT_ALLOWED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE';

/** The body of every admin API error. */
export interface TwentyAdminErrorBody {
  error: { code: TwentyAdminErrorCode; message: string; issues?: FieldIssue[] };
}

const INTEGRATION = twentyConnector.id;
const MAX_BODY_BYTES = 64 * 1024;

const apiKeyInput = z
  .string({ error: 'must be a string' })
  .check(
    z.trim(),
    z.minLength(1, 'must not be empty (omit it to keep the saved key, or send null to remove it)'),
    z.maxLength(4096, 'must be at most 4096 characters'),
  );

// Credentials in the URL (`https://user:key@host`) would be shown back by GET: the key belongs in apiKey.
const baseUrlInput = httpUrl.check(
  z.refine((url) => {
    try {
      const parsed = new URL(url);
      return parsed.username === '' && parsed.password === '';
    } catch {
      return true;
    }
  }, 'must not contain credentials (put the key in apiKey)'),
);

const syncModeInput = z.enum(TWENTY_SYNC_MODES, {
  error: (issue) =>
    issue.input === undefined ? undefined : `must be one of ${TWENTY_SYNC_MODES.join(', ')}`,
});

const configBodySchema = z.object({
  baseUrl: z.optional(z.nullable(baseUrlInput)),
  apiKey: z.optional(z.nullable(apiKeyInput)),
  enabled: z.optional(z.boolean({ error: 'must be true or false' })),
  syncMode: z.optional(syncModeInput),
});

const testBodySchema = z.object({
  baseUrl: z.optional(baseUrlInput),
  apiKey: z.optional(apiKeyInput),
});

const optionsSchema = z.object({
  store: z.custom<IntegrationStore>(
    (value) => typeof (value as IntegrationStore | null)?.configs?.get === 'function',
    'must be an IntegrationStore',
  ),
  authorize: z.custom<TwentyAdminHandlerOptions['authorize']>(
    (value) => typeof value === 'function',
    'must be a function',
  ),
  fetch: z.optional(z.custom<typeof fetch>((value) => typeof value === 'function', 'must be a function')),
  basePath: z._default(
    z.string().check(z.regex(/^\/[^?#]*$/, 'must be a path starting with /')),
    '/api/admin/twenty-crm',
  ),
  testTimeoutMs: z.optional(z.int().check(z.minimum(1, 'must be at least 1'))),
});

/**
 * The admin API of the Twenty integration (seed 000's `/api/admin/twenty-crm/…`) as a fetch-style handler
 * for any server (Node, Bun, Deno, Next.js route handlers, Hono…):
 *
 * - `GET {basePath}/config` → `{ config: TwentyAdminConfigView | null }`
 * - `PUT {basePath}/config` with `{ baseUrl?, apiKey?, enabled?, syncMode? }` → `{ config }`; creates the
 *   row when missing. An omitted field is left as it is; `null` clears `baseUrl` or `apiKey`.
 * - `POST {basePath}/test-connection` with an optional `{ baseUrl?, apiKey? }` → `testConnection`'s result
 *   (200 even when `ok` is false). Missing values come from the saved configuration.
 *
 * Every request is authorized first (`null` → 401). The API key is encrypted at rest and never answered,
 * echoed in an error, or logged: the view says only `apiKey: { set: true }`. Throws `CONFIG_ERROR` for
 * invalid options.
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
  const {
    authorize,
    fetch: fetchImpl,
    basePath,
    testTimeoutMs,
    ...parsed
  } = parseOptions(optionsSchema, plain, {
    label,
  });
  // The store is the caller's: guarded, a method of it that throws answers a typed 500, like a failed call.
  const store = guardStore(parsed.store);
  const configs = createConfigStore({ rows: store.configs, secretKey: plain.secretKey as string | Secret });
  const base = basePath.replace(/\/+$/, '');

  async function getConfig(): Promise<Response> {
    // The raw row, never decrypted: showing the configuration does not need the key, and still works
    // when the secret key was rotated and the stored key can no longer be read.
    const row = await store.configs.get(INTEGRATION);
    if (!row.success) return storeFailure(row.error);
    return json(200, { config: row.data === null ? null : viewOfRow(row.data) });
  }

  async function putConfig(request: IncomingRequest, principal: TwentyAdminPrincipal): Promise<Response> {
    const body = await readJson(request, { required: true });
    if (body instanceof Response) return body;
    const checked = await checkBody(configBodySchema, body);
    if (checked instanceof Response) return checked;
    const exists = await store.configs.exists(INTEGRATION);
    if (!exists.success) return storeFailure(exists.error);
    let saved = exists.data
      ? await configs.updateConfig(INTEGRATION, checked, principal.userId)
      : await configs.createConfig(INTEGRATION, checked, principal.userId);
    // Two admins saving the first configuration at once: the second one's write becomes an update.
    if (!saved.success && saved.error.code === 'CONFLICT' && !exists.data) {
      saved = await configs.updateConfig(INTEGRATION, checked, principal.userId);
    }
    if (!saved.success) return storeFailure(saved.error);
    return json(200, { config: viewOfConfig(saved.data) });
  }

  async function postTestConnection(request: IncomingRequest): Promise<Response> {
    const body = await readJson(request, { required: false });
    if (body instanceof Response) return body;
    const checked = await checkBody(testBodySchema, body ?? {});
    if (checked instanceof Response) return checked;
    let saved: IntegrationConfig | null = null;
    if (checked.baseUrl === undefined || checked.apiKey === undefined) {
      const read = await configs.getConfig(INTEGRATION);
      if (!read.success) return storeFailure(read.error);
      saved = read.data;
    }
    const baseUrl = checked.baseUrl ?? saved?.baseUrl ?? null;
    if (baseUrl === null) {
      return validationError([{ field: 'baseUrl', message: 'is required: no base URL is saved' }]);
    }
    let apiKey: string | Secret | null = checked.apiKey ?? null;
    if (apiKey === null) {
      // The saved key goes only to the saved host: otherwise anyone able to make an admin's browser post
      // here could have the key sent to a server of their choosing.
      if (saved?.apiKey && saved.baseUrl && sameOrigin(saved.baseUrl, baseUrl)) apiKey = saved.apiKey;
      else if (saved?.apiKey) {
        return validationError([
          { field: 'apiKey', message: 'is required when baseUrl is on another host than the saved one' },
        ]);
      } else return validationError([{ field: 'apiKey', message: 'is required: no API key is saved' }]);
    }
    const result: TwentyConnectionTest = await testConnection({
      baseUrl,
      apiKey,
      fetch: fetchImpl,
      timeoutMs: testTimeoutMs,
    });
    return json(200, result);
  }

  const routes: Record<
    string,
    Record<string, (request: IncomingRequest, principal: TwentyAdminPrincipal) => Promise<Response>>
  > = {
    '/config': { GET: getConfig, PUT: putConfig },
    '/test-connection': { POST: postTestConnection },
  };

  return async function handleTwentyAdmin(request: Request): Promise<Response> {
    try {
      // Whatever the server hands over is read once, defensively: a value that is not a request is a 400
      // naming the part that could not be read, never an exception.
      const incoming = readRequest(request);
      if (incoming instanceof Response) return incoming;
      const path = incoming.pathname.replace(/\/+$/, '');
      if (path !== base && !path.startsWith(`${base}/`)) return errorResponse(404, 'NOT_FOUND', 'Not found');
      // Deny by default: nothing under basePath, not even its 404s and 405s, answers before authorization.
      let principal: TwentyAdminPrincipal | null;
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
      const route = routes[path.slice(base.length)];
      if (!route) return errorResponse(404, 'NOT_FOUND', 'Not found');
      const run = route[incoming.method];
      if (!run) {
        return errorResponse(405, 'METHOD_NOT_ALLOWED', `Use ${Object.keys(route).join(' or ')}`, {
          allow: Object.keys(route).join(', '),
        });
      }
      return await run(incoming, principal);
    } catch {
      // Nothing of the failure is answered: it could carry a request body, hence the key.
      return errorResponse(500, 'SERVER_ERROR', 'Internal error');
    }
  };
}

function viewOfRow(row: StoredIntegrationConfig): TwentyAdminConfigView {
  return {
    baseUrl: row.baseUrl,
    apiKey: { set: hasSecret(row, 'apiKey') },
    enabled: row.enabled,
    syncMode: row.syncMode,
    createdBy: row.createdBy,
    updatedBy: row.updatedBy,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

// Read defensively: the row is the store's answer, which a caller's store could get wrong.
function hasSecret(row: StoredIntegrationConfig, name: string): boolean {
  const { secrets } = row;
  return typeof secrets === 'object' && secrets !== null && typeof secrets[name] === 'string';
}

function viewOfConfig(config: IntegrationConfig): TwentyAdminConfigView {
  return {
    baseUrl: config.baseUrl,
    apiKey: { set: config.apiKey !== null },
    enabled: config.enabled,
    syncMode: config.syncMode,
    createdBy: config.createdBy,
    updatedBy: config.updatedBy,
    createdAt: new Date(config.createdAt).toISOString(),
    updatedAt: new Date(config.updatedAt).toISOString(),
  };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

const isJsonType = (contentType: string | null) =>
  contentType !== null && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType.trim());

/** What the handler reads of a request, each part read once. */
interface IncomingRequest {
  pathname: string;
  method: string;
  headers: Headers;
  request: Request;
}

/** The parts of a request the handler uses, or a 400 naming the one that could not be read. */
function readRequest(request: unknown): IncomingRequest | Response {
  const unreadable = (field: string, message: string) =>
    validationError([{ field, message }], 'The request could not be read');
  if (typeof request !== 'object' || request === null) return unreadable('request', 'must be a Request');
  const part = (key: 'url' | 'method' | 'headers'): { value: unknown } | Response => {
    try {
      return { value: (request as Record<string, unknown>)[key] };
    } catch {
      return unreadable(`request.${key}`, 'could not be read');
    }
  };
  const url = part('url');
  if (url instanceof Response) return url;
  let pathname: string;
  try {
    pathname = new URL(url.value as string).pathname;
  } catch {
    return unreadable(
      typeof url.value === 'string' ? 'request.url' : 'request',
      'must be a Request with an absolute URL',
    );
  }
  const method = part('method');
  if (method instanceof Response) return method;
  if (typeof method.value !== 'string') return unreadable('request.method', 'must be a string');
  const headers = part('headers');
  if (headers instanceof Response) return headers;
  let copy: Headers;
  try {
    copy = new Headers(headers.value as HeadersInit);
  } catch {
    return unreadable('request.headers', 'must be Headers');
  }
  return { pathname, method: method.value, headers: copy, request: request as Request };
}

/** The parsed body, `undefined` for an empty optional one, or the error response to send. */
async function readJson(incoming: IncomingRequest, { required }: { required: boolean }): Promise<unknown> {
  const declared = Number(incoming.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return tooLarge();
  let text: string | null;
  try {
    text = await readCapped(incoming.request);
  } catch {
    // A stream that errors (the client went away) or a body getter that throws: nothing usable arrived.
    return validationError([{ field: '(body)', message: 'could not be read' }], 'The body could not be read');
  }
  if (text === null) return tooLarge();
  if (text.trim() === '' && !required) return undefined;
  // A JSON content type is required: browsers cannot send one cross-site without a CORS preflight.
  if (!isJsonType(incoming.headers.get('content-type'))) {
    return errorResponse(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
  }
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the body, which may hold the key: it is never passed on.
    return validationError(
      [{ field: '(root)', message: 'must be valid JSON' }],
      'The body is not valid JSON',
    );
  }
}

async function readCapped(request: Request): Promise<string | null> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

const tooLarge = () =>
  errorResponse(413, 'PAYLOAD_TOO_LARGE', `The body must be at most ${MAX_BODY_BYTES} bytes`);

/** The validated body, or a field-named 400. Unknown fields are refused: `apikey` would be a silent no-op. */
async function checkBody<S extends z.ZodMiniObject>(
  schema: S,
  body: unknown,
): Promise<z.output<S> | Response> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return validationError([{ field: '(root)', message: 'must be a JSON object' }]);
  }
  const known = new Set(Object.keys(schema.def.shape));
  const unknown = Object.keys(body).filter((key) => !known.has(key));
  const checked = await validateSchema(schema, body);
  const issues = [
    ...(checked.success ? [] : checked.issues),
    ...unknown.map((field) => ({ field: field.slice(0, 100), message: 'unknown field' })),
  ];
  // validateSchema types its value as the Standard Schema output, which is z.output for a zod schema.
  if (checked.success && issues.length === 0) return checked.value as z.output<S>;
  return validationError(issues);
}

function validationError(issues: FieldIssue[], message?: string): Response {
  const summary = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  return json(400, {
    error: { code: 'VALIDATION_ERROR', message: message ?? `Invalid request: ${summary}`, issues },
  });
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/** A store error as a response: its message only for codes whose messages are written for people. */
function storeFailure(error: IntegrationError): Response {
  const status = STATUS_BY_CODE[error.code];
  if (status !== undefined) {
    return json(status, { error: { code: error.code, message: error.message, issues: error.issues } });
  }
  if (error.code === 'CONFIG_ERROR') return errorResponse(500, 'CONFIG_ERROR', error.message);
  return errorResponse(500, error.code, 'The configuration store failed');
}

function errorResponse(
  status: number,
  code: TwentyAdminErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const body: TwentyAdminErrorBody = { error: { code, message } };
  return json(status, body, headers);
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      // Configuration is per-workspace admin data: no cache, proxy or browser should keep a copy.
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    },
  });
}
