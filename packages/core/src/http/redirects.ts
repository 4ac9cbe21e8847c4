import { isSensitiveKey } from '../logging/redact.ts';

/** The statuses fetch follows (RFC 9110 §15.4), each with a Location to go to. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

// Headers describing a request body, dropped when a redirect turns the request into a GET (fetch §4.4).
const BODY_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
];
// Always credentials, whatever their name looks like.
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

/** How the next request of a redirect chain is built. */
export interface NextHop {
  /** The request that was redirected. */
  from: Request;
  /** Its redirect status. */
  status: number;
  /** Where to go, already resolved against `from.url`. */
  to: URL;
  /**
   * The request body to send again when the method is kept (307, 308): the one the call was given, since
   * the first request's stream has been read.
   */
  body: BodyInit | undefined;
  /** Header names to drop (credentials), when the next hop must not carry them. */
  dropHeaders?: readonly string[];
}

/**
 * The request for the next hop of a redirect, with fetch's method rules: 303 becomes GET (HEAD stays HEAD),
 * as do 301 and 302 for a POST, all without a body; 307 and 308 keep the method and the body.
 * @example const next = nextHopRequest({ from: request, status: 307, to: new URL(location, request.url), body });
 */
export function nextHopRequest(hop: NextHop): Request {
  const { from, status, to } = hop;
  const toGet =
    (status === 303 && from.method !== 'GET' && from.method !== 'HEAD') ||
    ((status === 301 || status === 302) && from.method === 'POST');
  const headers = new Headers(from.headers);
  if (toGet) for (const name of BODY_HEADERS) headers.delete(name);
  for (const name of hop.dropHeaders ?? []) headers.delete(name);
  const method = toGet ? 'GET' : from.method;
  const body = toGet || method === 'GET' || method === 'HEAD' ? undefined : hop.body;
  return new Request(to, {
    method,
    headers,
    body,
    redirect: 'manual',
    signal: from.signal,
    // A stream body can only go out in half-duplex mode (Node's fetch insists).
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

/**
 * The names of the headers on `headers` that carry credentials: Authorization, Proxy-Authorization, Cookie,
 * the ones named in `extra` (an auth header's name), and any whose name looks like a credential (X-Api-Key).
 */
export function credentialHeaderNames(headers: Headers, extra: readonly string[] = []): string[] {
  const names = new Set([...CREDENTIAL_HEADERS, ...extra.map((name) => name.toLowerCase())]);
  for (const name of headers.keys()) if (isSensitiveKey(name)) names.add(name);
  return [...names];
}

/** How a URL is named in a message: its origin only (no user, path or query), or its scheme when it has none. */
export function describeOrigin(url: URL): string {
  return url.origin !== 'null' ? url.origin : url.protocol;
}
