import { ERROR_CODES, type ErrorCode, type FieldIssue, IntegrationError } from '../result/errors.ts';
import { parseRetryAfterMs } from './retry-after.ts';

/** Statuses that are transient by nature and worth retrying. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * The error code for an HTTP status: 401/403 auth, 404, 408, 409, 429, 5xx server, other 4xx validation.
 * @example codeForStatus(429) // 'RATE_LIMIT'
 */
export function codeForStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'AUTH_ERROR';
  if (status === 404) return 'NOT_FOUND';
  if (status === 408) return 'TIMEOUT';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMIT';
  if (status >= 500) return 'SERVER_ERROR';
  if (status >= 400) return 'VALIDATION_ERROR';
  return 'INVALID_RESPONSE';
}

/** What the error needs from a failed response. */
export interface FailedResponse {
  status: number;
  statusText?: string;
  headers: Headers;
  body: unknown;
  method: string;
  path: string;
  attempts?: number;
  now?: number;
  /**
   * The longest server-requested wait the caller honours by itself. A 429 or 503 asking for longer is
   * `RATE_LIMIT` (retryable later, `retryAfterMs` carrying the hint), whatever its status says.
   */
  maxRetryAfterMs?: number;
}

/** A failed response as a connector's error mapper sees it, after its body was read within `maxResponseBytes`. */
export interface ErrorResponse {
  status: number;
  statusText: string;
  headers: Headers;
  /**
   * The body, credentials scrubbed: parsed JSON when it is JSON (by content type or by its first character),
   * else its text; undefined when empty, unreadable or larger than `maxResponseBytes`.
   */
  body: unknown;
  /** The call that failed: its method and its path (query credentials redacted). */
  request: { method: string; path: string };
}

/** The typed error's fields an error mapper may set; each one it leaves out comes from the generic reading. */
export interface ErrorMapping {
  code?: ErrorCode;
  /** The server's own message, without method, path or status (core writes those before it). */
  message?: string;
  /** Also decides whether the HTTP client retries the call (within its `retry` limits). */
  retryable?: boolean;
  field?: string;
  issues?: FieldIssue[];
  /** The server's requested wait, e.g. from a body field; wins over `Retry-After`. */
  retryAfterMs?: number;
  /** A request id the server put in the body. */
  requestId?: string;
}

/**
 * A connector's reading of its vendor's error body, run before core's generic one: what it sets wins, what it
 * leaves out (or answers `undefined` for) is read generically. One that throws or answers fields of the wrong
 * type is ignored for those fields.
 * @example const mapError: ErrorMapper = ({ body }) => (isQuotaBody(body) ? { code: 'RATE_LIMIT', retryable: false } : undefined);
 */
export type ErrorMapper = (response: ErrorResponse) => ErrorMapping | undefined;

const isErrorCode = (value: unknown): value is ErrorCode =>
  (ERROR_CODES as readonly unknown[]).includes(value);

const REQUEST_ID_HEADERS = ['x-request-id', 'x-correlation-id', 'request-id', 'x-amzn-requestid', 'cf-ray'];
const MAX_SERVER_MESSAGE = 300;
// As many as a store validation reports: enough to fix a batch, bounded however much of it the server lists.
const MAX_ISSUES = 100;
const MAX_RETRY_AFTER_MS = Number.MAX_SAFE_INTEGER;

/**
 * An IntegrationError for a non-2xx response: code and retryability from the status, the server's message
 * (RFC 9457 problem details, or a `message` / `error_description` / `error` field), issues from a problem's
 * `errors`, Retry-After and the request id header. A connector's `mapping` (see {@link ErrorMapper}) wins
 * field by field; fields of the wrong type in it are ignored. Never throws.
 * @example errorFromResponse({ status: 429, headers, body, method: 'GET', path: '/v1/items' })
 */
export function errorFromResponse(response: FailedResponse, mapping?: ErrorMapping): IntegrationError {
  const read = readFailedResponse(response);
  if (read instanceof IntegrationError) return read;
  const mapped = readErrorMapping(mapping).mapping ?? {};
  const { status, headers, body, method, path, attempts, maxRetryAfterMs } = read;
  const serverMessage = mapped.message ?? extractServerMessage(body);
  const issues = mapped.issues ?? extractIssues(body);
  const retryAfterMs =
    mapped.retryAfterMs ??
    (status === 429 || status === 503 ? parseRetryAfterMs(headers, response.now) : undefined);
  const tooLong =
    retryAfterMs !== undefined && maxRetryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs;
  const code = mapped.code ?? (tooLong ? 'RATE_LIMIT' : codeForStatus(status));
  // A mapped code without a mapped retryable takes that code's own default (IntegrationError's).
  const retryable =
    mapped.retryable ??
    (tooLong ? true : mapped.code !== undefined ? undefined : RETRYABLE_STATUSES.has(status));
  const statusText = response.statusText ? ` ${response.statusText}` : '';
  const detail = serverMessage ? `: ${serverMessage}` : '';
  const tries = attempts && attempts > 1 ? ` (after ${attempts} attempts)` : '';
  const wait = tooLong
    ? `; the server asks to wait ${formatWait(retryAfterMs)}, longer than maxRetryAfterMs (${maxRetryAfterMs} ms): not retried`
    : '';
  return new IntegrationError(
    code,
    `${method} ${path} failed with ${status}${statusText}${detail}${tries}${wait}`,
    {
      status,
      retryable,
      retryAfterMs,
      requestId: mapped.requestId ?? requestIdOf(headers),
      field: mapped.field ?? issues?.[0]?.field,
      issues,
      attempts,
      method,
      path,
    },
  );
}

/**
 * Runs a connector's error mapper on a failed response and keeps what it answered with the right types.
 * Never throws: a mapper that throws, or answers something else than an object or undefined, gives no
 * mapping; `rejected` names what was dropped (never its value), for a log line.
 */
export function runErrorMapper(
  mapper: ErrorMapper,
  response: ErrorResponse,
): { mapping: ErrorMapping | undefined; rejected: string[] } {
  let answer: unknown;
  try {
    answer = mapper(response);
  } catch {
    return { mapping: undefined, rejected: ['(threw)'] };
  }
  if (isThenable(answer)) {
    // A mapper is synchronous; an async one's rejection must not surface as an unhandled one.
    Promise.resolve(answer).catch(() => {});
    return { mapping: undefined, rejected: ['(returned a Promise)'] };
  }
  return readErrorMapping(answer);
}

const MAPPING_KEYS = [
  'code',
  'message',
  'retryable',
  'field',
  'issues',
  'retryAfterMs',
  'requestId',
] as const;

// Each field read once and kept only when it has its documented type, as IntegrationError does with options.
function readErrorMapping(value: unknown): { mapping: ErrorMapping | undefined; rejected: string[] } {
  if (value === undefined || value === null) return { mapping: undefined, rejected: [] };
  if (typeof value !== 'object') return { mapping: undefined, rejected: ['(root)'] };
  const mapping: ErrorMapping = {};
  const rejected: string[] = [];
  for (const key of MAPPING_KEYS) {
    let field: unknown;
    try {
      field = (value as Record<string, unknown>)[key];
    } catch {
      rejected.push(key);
      continue;
    }
    if (field === undefined) continue;
    const kept = readMappingField(key, field);
    if (kept === undefined) rejected.push(key);
    else Object.assign(mapping, { [key]: kept });
  }
  return { mapping: Object.keys(mapping).length > 0 ? mapping : undefined, rejected };
}

function readMappingField(key: (typeof MAPPING_KEYS)[number], value: unknown): unknown {
  switch (key) {
    case 'code':
      return isErrorCode(value) ? value : undefined;
    case 'message':
      return typeof value === 'string' ? oneLine(value) : undefined;
    case 'retryable':
      return typeof value === 'boolean' ? value : undefined;
    case 'field':
    case 'requestId':
      return typeof value === 'string' && value.length > 0 ? value : undefined;
    case 'retryAfterMs':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0
        ? Math.min(Math.ceil(value), MAX_RETRY_AFTER_MS)
        : undefined;
    case 'issues':
      return readIssues(value);
  }
}

function readIssues(value: unknown): FieldIssue[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const issues: FieldIssue[] = [];
  for (const item of value.slice(0, MAX_ISSUES)) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { field, message } = item as Record<string, unknown>;
    if (typeof field !== 'string' || typeof message !== 'string') return undefined;
    issues.push({ field, message: oneLine(message) ?? '' });
  }
  return issues.length > 0 ? issues : undefined;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return (
      typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
    );
  } catch {
    return false;
  }
}

function formatWait(ms: number): string {
  if (ms < 120_000) return `${Math.ceil(ms / 1000)} s`;
  if (ms < 48 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 86_400_000)} days`;
}

// The fields, read once and checked: a caller's object may be anything, and this function never throws.
function readFailedResponse(response: unknown): FailedResponse | IntegrationError {
  const invalid = (field: string, message: string) =>
    new IntegrationError('VALIDATION_ERROR', `errorFromResponse: ${field}: ${message}`, {
      field,
      retryable: false,
    });
  if (typeof response !== 'object' || response === null) return invalid('response', 'must be an object');
  const read: Record<string, unknown> = {};
  for (const key of [
    'status',
    'statusText',
    'headers',
    'body',
    'method',
    'path',
    'attempts',
    'now',
    'maxRetryAfterMs',
  ]) {
    try {
      read[key] = (response as Record<string, unknown>)[key];
    } catch {
      return invalid(key, 'could not be read');
    }
  }
  if (!Number.isInteger(read.status)) return invalid('status', 'must be an integer');
  const optionalNumber = (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  return {
    status: read.status as number,
    statusText: typeof read.statusText === 'string' ? read.statusText : undefined,
    headers: read.headers instanceof Headers ? read.headers : new Headers(),
    body: read.body,
    method: typeof read.method === 'string' ? read.method : 'request',
    path: typeof read.path === 'string' ? read.path : '',
    attempts: optionalNumber(read.attempts),
    now: optionalNumber(read.now),
    maxRetryAfterMs: optionalNumber(read.maxRetryAfterMs),
  };
}

/**
 * The human message a server put in its error body, if any, in one line and truncated: a text body (not an
 * HTML page), an RFC 9457 problem's `detail` or `title`, a `message`, an OAuth 2 `error_description`, or an
 * `error` that is a string or an object with a string `message`. Never throws.
 */
export function extractServerMessage(body: unknown): string | undefined {
  try {
    return oneLine(messageOf(body));
  } catch {
    // A body object whose getters throw says nothing usable.
    return undefined;
  }
}

/**
 * The field issues of an RFC 9457 problem's `errors` member (`[{ detail, pointer }]`; JSON:API's
 * `source.pointer` too), the pointer read as a dotted field (`#/profile/color` → `profile.color`); items
 * without a pointer are not issues. At most 100. Never throws.
 */
export function extractIssues(body: unknown): FieldIssue[] | undefined {
  try {
    return issuesOf(body);
  } catch {
    return undefined;
  }
}

function oneLine(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const line = text.replace(/\s+/g, ' ').trim();
  if (!line) return undefined;
  return line.length > MAX_SERVER_MESSAGE ? `${line.slice(0, MAX_SERVER_MESSAGE)}…` : line;
}

const stringAt = (record: Record<string, unknown>, key: string): string | undefined => {
  const value = record[key];
  return typeof value === 'string' && value.trim() ? value : undefined;
};

function messageOf(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const text = body.trim();
    // An HTML error page (a proxy's 502) says nothing useful and would flood the message.
    return text.startsWith('<') || text.length === 0 ? undefined : text;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  // RFC 9457 §3.1 (`detail` explains this occurrence, `title` the type), then the common fields: `message`,
  // OAuth 2's `error_description` (RFC 6749 §5.2), `error` as text or as `{ message }` (OData v4 JSON §21).
  for (const key of ['detail', 'message', 'error_description', 'title']) {
    const text = stringAt(b, key);
    if (text) return text;
  }
  if (typeof b.error === 'object' && b.error !== null) {
    const text = stringAt(b.error as Record<string, unknown>, 'message');
    if (text) return text;
  }
  return stringAt(b, 'error') ?? messageOfItems(errorItemsOf(body));
}

// A problem with only `errors` still says something: its first items.
function messageOfItems(items: ErrorItem[] | undefined): string | undefined {
  if (!items) return undefined;
  const listed = items
    .slice(0, 3)
    .map((item) => (item.field === undefined ? item.message : `${item.field}: ${item.message}`));
  if (items.length > 3) listed.push(`and ${items.length - 3} more`);
  return listed.join('; ');
}

interface ErrorItem {
  field?: string;
  message: string;
}

// Only an item that points at a field is an issue: a field-less one (`{ message, in }`) would name `(root)`
// as the culprit of every error.
function issuesOf(body: unknown): FieldIssue[] | undefined {
  const issues = errorItemsOf(body)?.filter((item): item is FieldIssue => item.field !== undefined);
  return issues && issues.length > 0 ? issues : undefined;
}

function errorItemsOf(body: unknown): ErrorItem[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const errors = (body as Record<string, unknown>).errors;
  if (!Array.isArray(errors)) return undefined;
  const items: ErrorItem[] = [];
  for (const entry of errors) {
    if (items.length >= MAX_ISSUES) break;
    if (typeof entry !== 'object' || entry === null) continue;
    const item = entry as Record<string, unknown>;
    const message = oneLine(stringAt(item, 'detail') ?? stringAt(item, 'message'));
    if (!message) continue;
    const pointer = pointerOf(item) ?? pointerOf(item.source);
    items.push(pointer === undefined ? { message } : { field: fieldOfPointer(pointer), message });
  }
  return items.length > 0 ? items : undefined;
}

// `''` is a pointer too: the whole document (RFC 6901 §5).
function pointerOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const pointer = (value as Record<string, unknown>).pointer;
  return typeof pointer === 'string' ? pointer : undefined;
}

// A JSON Pointer (RFC 6901), possibly as a URI fragment, as the dotted field name the rest of Patchbay uses.
function fieldOfPointer(pointer: string): string {
  // The fragment form is percent-encoded (RFC 6901 §6).
  const path = pointer.startsWith('#') ? safeDecode(pointer.slice(1)) : pointer;
  const tokens = path
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
  return tokens.length > 0 && tokens.join('') !== '' ? tokens.join('.') : '(root)';
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function requestIdOf(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}
