import { type ErrorCode, IntegrationError } from './errors.ts';
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

const REQUEST_ID_HEADERS = ['x-request-id', 'x-correlation-id', 'request-id', 'x-amzn-requestid', 'cf-ray'];
const MAX_SERVER_MESSAGE = 300;

/**
 * An IntegrationError for a non-2xx response: code and retryability from the status, the server's own
 * message (Twenty, HubSpot, PostHog, Pipedrive, Exact and RFC 7807 shapes), Retry-After, request id.
 */
export function errorFromResponse(response: FailedResponse): IntegrationError {
  const read = readFailedResponse(response);
  if (read instanceof IntegrationError) return read;
  const { status, headers, body, method, path, attempts, maxRetryAfterMs } = read;
  const serverMessage = extractServerMessage(body);
  const retryAfterMs =
    status === 429 || status === 503 ? parseRetryAfterMs(headers, response.now) : undefined;
  const tooLong =
    retryAfterMs !== undefined && maxRetryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs;
  const code = tooLong ? 'RATE_LIMIT' : codeForStatus(status);
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
      retryable: tooLong || RETRYABLE_STATUSES.has(status),
      retryAfterMs,
      requestId: requestIdOf(headers, body),
      attempts,
      method,
      path,
    },
  );
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

/** The human message a vendor put in its error body, if any (truncated). Never throws. */
export function extractServerMessage(body: unknown): string | undefined {
  let text: string | undefined;
  try {
    text = messageOf(body);
  } catch {
    // A body object whose getters throw says nothing usable.
    return undefined;
  }
  if (!text) return undefined;
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_SERVER_MESSAGE ? `${oneLine.slice(0, MAX_SERVER_MESSAGE)}…` : oneLine;
}

function messageOf(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const text = body.trim();
    // An HTML error page (a proxy's 502) says nothing useful and would flood the message.
    return text.startsWith('<') || text.length === 0 ? undefined : text;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  // Twenty: { statusCode, error, messages: [..] }
  if (Array.isArray(b.messages) && b.messages.length > 0) return b.messages.map(String).join('; ');
  // HubSpot { message }, Pipedrive { error }, PostHog { detail }, RFC 7807 { title, detail }
  for (const key of ['message', 'detail', 'error_description', 'title']) {
    if (typeof b[key] === 'string' && b[key]) return b[key] as string;
  }
  // Exact Online: { error: { code, message: { lang, value } } }
  if (typeof b.error === 'object' && b.error !== null) {
    const inner = b.error as Record<string, unknown>;
    const message = inner.message;
    if (typeof message === 'string') return message;
    if (
      typeof message === 'object' &&
      message !== null &&
      typeof (message as { value?: unknown }).value === 'string'
    ) {
      return (message as { value: string }).value;
    }
  }
  if (typeof b.error === 'string' && b.error) return b.error;
  return undefined;
}

function requestIdOf(headers: Headers, body: unknown): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  // HubSpot puts it in the body.
  if (typeof body === 'object' && body !== null) {
    try {
      const id = (body as Record<string, unknown>).correlationId;
      if (typeof id === 'string') return id;
    } catch {
      // A getter that throws: no id.
    }
  }
  return undefined;
}
