// The emulated server's front: body parsing, the API-key guard, path parsing and dispatch to the record and
// metadata handlers, and the rate limit. Route table: twenty-server `engine/api/rest/core/controllers/
// rest-api-core.controller.ts` (POST `batch/*path`, POST/GET/PATCH/PUT/DELETE `*path`); paths are parsed by
// `input-request-parsers/path-parser-utils/parse-core-path.utils.ts`.

import { DEFAULT_MAX_BODY_BYTES, readBodyText } from '../kit/body.ts';
import type { WindowRateLimiter } from '../kit/rate-limiter.ts';
import { rateLimitHeaders } from '../kit/rate-limiter.ts';
import { readRequest } from '../kit/route-key.ts';
import type { EmulatorHandler } from '../kit/types.ts';
import { badRequest, TwentyError } from './errors.ts';
import { handleMetadata, type MetadataFormat } from './metadata.ts';
import type { LimitBounds } from './params.ts';
import {
  type CoreRequest,
  createMany,
  createOne,
  deleteOne,
  findMany,
  findOne,
  type RecordsContext,
  updateOne,
} from './records.ts';
import type { Actor, TwentyStore } from './store.ts';
import { isUuid } from './values.ts';

/** Options of {@link createTwentyHandler}. */
export interface TwentyHandlerOptions {
  store: TwentyStore;
  /** The only API key the emulated workspace accepts. */
  apiKey: string;
  /** The API key's record id (it appears in rate-limit bodies as the spender). */
  apiKeyId: string;
  /** Shown as `createdBy.name` of records written through the key. */
  apiKeyName: string;
  bounds: LimitBounds;
  batchLimit: number;
  /** Undefined: no rate limit. */
  rateLimiter?: WindowRateLimiter;
  rateLimit?: { limit: number; windowMs: number };
  metadataFormat: MetadataFormat;
  /** Largest body read, in bytes; a larger one is a 413. Default 100 MiB (Twenty's body-parser limit). */
  maxBodyBytes?: number;
}

const JSON_TYPE = /\bjson\b/i;

/**
 * Node's HTTP parser refuses a request line and headers over 16 KiB with a bare 431 before Twenty sees it; the
 * same bound applies through msw, where no parser stands in front, so a filter or cursor cannot grow without end.
 */
const MAX_HEADER_BYTES = 16 * 1024;

function headerBytes(request: Request, url: string): number {
  let size = url.length + request.method.length;
  for (const [name, value] of request.headers) size += name.length + value.length + 4;
  return size;
}

// The body's text; past the limit, body-parser's 413 (`request entity too large`) in Twenty's error shape.
async function readText(request: Request, maxBodyBytes: number): Promise<string> {
  const text = await readBodyText(request, maxBodyBytes);
  if (text !== undefined) return text;
  throw new TwentyError(413, 'request entity too large', { error: 'PayloadTooLargeException' });
}

/**
 * The request body as Express's `json()` middleware leaves it: parsed for a JSON content type (only objects and
 * arrays, like body-parser's strict mode), `{}` otherwise.
 */
async function readBody(request: Request, maxBodyBytes: number): Promise<unknown> {
  if (request.method === 'GET' || request.method === 'HEAD') return {};
  const contentType = request.headers.get('content-type') ?? '';
  const text = await readText(request, maxBodyBytes);
  if (!JSON_TYPE.test(contentType) || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badRequest(error instanceof Error ? error.message : 'Invalid JSON body');
  }
  if (parsed === null || typeof parsed !== 'object') {
    throw badRequest(`Unexpected token ${JSON.stringify(text.trim().charAt(0))} in JSON at position 0`);
  }
  return parsed;
}

/**
 * The API-key guard (JwtAuthGuard): no token is a 403, a wrong one a 401
 * (test/integration/rest/suites/rest-api-core-authentication.integration-spec.ts).
 */
function authenticate(request: Request, apiKey: string): void {
  const header = request.headers.get('authorization') ?? '';
  const token = /^Bearer\s+(.*)$/i.exec(header.trim())?.[1]?.trim() ?? '';
  if (token === '') {
    throw new TwentyError(403, 'Missing authentication token', { error: 'FORBIDDEN_EXCEPTION' });
  }
  if (token !== apiKey) throw new TwentyError(401, 'Token invalid.', { error: 'UNAUTHENTICATED' });
}

function invalidPath(path: string): TwentyError {
  return badRequest(
    `Query path '${path}' invalid. Valid examples: /rest/companies/id or /rest/companies or /rest/batch/companies`,
  );
}

function notEmulated(method: string, path: string): TwentyError {
  return new TwentyError(501, `${method} ${path} is not emulated`);
}

// Nest answers a route it doesn't have with its own 404 shape.
function noRoute(method: string, path: string): Response {
  return Response.json(
    { message: `Cannot ${method} ${path}`, error: 'Not Found', statusCode: 404 },
    { status: 404 },
  );
}

/**
 * The segments after `/rest`, each percent-decoded after the split, as Express decodes route parameters: an
 * encoded `/` (`%2F`) stays inside its segment, so an encoded id can never select another route. One
 * trailing slash is ignored (Express's non-strict routing); an empty segment elsewhere, or one that does not
 * decode, makes the path invalid instead of being skipped.
 */
function restSegments(path: string): string[] {
  const inner = path.slice('/rest'.length).replace(/^\//, '').replace(/\/$/, '');
  if (inner === '') return [];
  return inner.split('/').map((segment) => {
    const decoded = segment === '' ? undefined : safeDecode(segment);
    if (decoded === undefined) throw invalidPath(path);
    return decoded;
  });
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The route key faults and counters see: the method and path, ids replaced by `:id`. */
export function twentyRouteKey(request: Request): string {
  const { method, url } = readRequest(request);
  const path = new URL(url).pathname
    .split('/')
    .map((segment) => (isUuid(safeDecode(segment)) ? ':id' : segment))
    .join('/');
  return `${method} ${path}`;
}

/**
 * The emulated Twenty server as one fetch-style handler (no faults or counters: see `createTwentyEmulator`).
 * @example
 * const handler = createTwentyHandler({ store, apiKey, apiKeyId, apiKeyName: 'Emulator', bounds, batchLimit: 60, metadataFormat: 'current' });
 */
export function createTwentyHandler(options: TwentyHandlerOptions): EmulatorHandler {
  const { store, rateLimiter, rateLimit } = options;
  const actor: Actor = { source: 'API', workspaceMemberId: null, name: options.apiKeyName, context: {} };

  function throttle(): void {
    if (!rateLimiter || !rateLimit) return;
    const decision = rateLimiter.take(options.apiKey);
    if (decision.allowed) return;
    // usage-limit-to-rest-api-exception-handler.util.ts + usage-limit-speed.service.ts: a 429 with the exhausted
    // scope in the body and Retry-After / X-RateLimit-* headers.
    throw new TwentyError(
      429,
      `Rate limit exceeded for apiKey: ${rateLimit.limit} requests per ${rateLimit.windowMs / 1000}s.`,
      {
        error: 'RATE_LIMITED',
        extra: {
          limitKind: 'speed',
          exhaustedKind: 'limit',
          scope: { spenderType: 'apiKey', spenderId: options.apiKeyId, operationType: 'API_REQUEST' },
          limit: rateLimit.limit,
          remaining: 0,
          periodCount: Math.ceil(rateLimit.windowMs / 1000),
          periodUnit: 'second',
          retryAfterSeconds: decision.retryAfterSeconds,
        },
        headers: rateLimitHeaders(decision),
      },
    );
  }

  const records: RecordsContext = {
    store,
    bounds: options.bounds,
    batchLimit: options.batchLimit,
    actor,
    throttle,
  };

  function core(method: string, path: string, segments: string[], params: URLSearchParams, body: unknown) {
    const isRestore = method === 'PATCH' && segments[segments.length - 1] === 'restore';
    if (segments.length === 0 || segments.length > (isRestore ? 3 : 2)) throw invalidPath(path);
    const [first, second] = segments as [string, string | undefined];
    if (isRestore || second === 'duplicates' || second === 'groupBy' || second === 'merge') {
      throw notEmulated(method, path);
    }
    let request: CoreRequest;
    if (second === undefined) request = { object: first, params, body };
    else if (first === 'batch') request = { object: second, params, body };
    else if (!isUuid(second)) throw badRequest(`'${second}' is not a valid UUID`);
    else request = { object: first, id: second.toLowerCase(), params, body };
    const isBatch = first === 'batch' && second !== undefined;
    const id = request.id;

    switch (method) {
      case 'POST':
        return isBatch ? createMany(records, request) : createOne(records, request);
      case 'GET':
        return id ? findOne(records, { ...request, id }) : findMany(records, request);
      case 'PATCH':
      case 'PUT':
        if (id) return updateOne(records, { ...request, id });
        throw notEmulated(method, path);
      case 'DELETE':
        if (id) return deleteOne(records, { ...request, id });
        throw notEmulated(method, path);
      default:
        return noRoute(method, path);
    }
  }

  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  return async (request) => {
    if (headerBytes(request, request.url) > MAX_HEADER_BYTES) return new Response(null, { status: 431 });
    const url = new URL(request.url);
    const path = url.pathname;
    const method = request.method.toUpperCase();
    if (path !== '/rest' && !path.startsWith('/rest/')) return noRoute(method, path);
    if (!['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(method)) return noRoute(method, path);
    try {
      const body = await readBody(request, maxBodyBytes);
      authenticate(request, options.apiKey);
      const segments = restSegments(path);
      if (segments[0] === 'metadata') {
        return handleMetadata(
          { store, format: options.metadataFormat },
          { method, segments: segments.slice(1), path, params: url.searchParams, body },
        );
      }
      return core(method, path, segments, url.searchParams, body);
    } catch (error) {
      if (error instanceof TwentyError) return error.toResponse();
      // Input nested deeper than a recursive parser can follow: Twenty's exception filter answers an error it
      // does not know (this RangeError too) as a 400 BadRequestException with its message.
      if (error instanceof RangeError && /call stack/i.test(error.message)) {
        return badRequest(error.message).toResponse();
      }
      // An emulator bug, not a Twenty behaviour: say so loudly.
      return new TwentyError(500, error instanceof Error ? error.message : String(error)).toResponse();
    }
  };
}
