// The HTTP layer of the admin API, the same for every connector: reading whatever a server framework hands over
// without throwing, capped JSON bodies, strict content types, and JSON responses no cache keeps. Secrets travel
// in these bodies, so nothing read here is ever quoted back.
import type { ErrorCode, FieldIssue, IntegrationError } from '@patchbay/core';

/** Codes of the admin API's error bodies: Patchbay's error codes plus the HTTP-level ones. */
export type AdminErrorCode =
  | ErrorCode
  | 'METHOD_NOT_ALLOWED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE';

/** The body of every admin API error. */
export interface AdminErrorBody {
  error: { code: AdminErrorCode; message: string; issues?: FieldIssue[] };
}

/** The largest request body read, in bytes: a configuration is a few hundred. */
export const MAX_BODY_BYTES = 64 * 1024;

/** What the handler reads of a request, each part read once. */
export interface IncomingRequest {
  pathname: string;
  method: string;
  headers: Headers;
  request: Request;
}

/** The parts of a request the handler uses, or a 400 naming the one that could not be read. */
export function readRequest(request: unknown): IncomingRequest | Response {
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

const isJsonType = (contentType: string | null) =>
  contentType !== null && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType.trim());

/** The parsed body, `undefined` for an empty optional one, or the error response to send. */
export async function readJson(
  incoming: IncomingRequest,
  { required }: { required: boolean },
): Promise<unknown> {
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
    // JSON.parse's message quotes the body, which may hold a secret: it is never passed on.
    return validationError(
      [{ field: '(root)', message: 'must be valid JSON' }],
      'The body is not valid JSON',
    );
  }
}

// Reads at most MAX_BODY_BYTES whatever Content-Length claims (it may be absent or lie): null when over.
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

/** A 400 listing every issue by field (`Invalid request: baseUrl: …; apiKey: …`), never by value. */
export function validationError(issues: FieldIssue[], message?: string): Response {
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

/**
 * A configuration store's error as a response: its message only for codes whose messages are written for people
 * (and name fields, never values); any other failure is a generic 500 that says nothing of the database.
 */
export function storeFailure(error: IntegrationError): Response {
  const status = STATUS_BY_CODE[error.code];
  if (status !== undefined) {
    return json(status, { error: { code: error.code, message: error.message, issues: error.issues } });
  }
  if (error.code === 'CONFIG_ERROR') return errorResponse(500, 'CONFIG_ERROR', error.message);
  return errorResponse(500, error.code, 'The configuration store failed');
}

/** An error response with the common body. */
export function errorResponse(
  status: number,
  code: AdminErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const body: AdminErrorBody = { error: { code, message } };
  return json(status, body, headers);
}

/** A JSON response that no cache, proxy or browser keeps, and no browser sniffs. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
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
