// One request to a token endpoint (RFC 6749 §4.1.3 and §6): a form POST with the client's credentials, its answer
// validated into a token set or turned into a typed error. Plain fetch, not the HTTP client: a token request is
// never retried blindly (a refresh token may be single-use, so sending it twice can end the connection), never
// follows a redirect (it carries the client secret), and its error bodies have their own format (token-errors.ts).

import { toBase64, utf8 } from '../encoding/encoding.ts';
import { readBodyText } from '../http/response-body.ts';
import { replaceForms, scrubbedForms } from '../logging/redact.ts';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import { type TokenGrant, tokenEndpointError } from './token-errors.ts';
import { type OAuth2TokenSet, oauth2TokenResponseSchema, tokenSetFromResponse } from './token-set.ts';

/** How the client authenticates to the token endpoint (RFC 6749 §2.3.1): form fields, or HTTP Basic. */
export type OAuth2ClientAuth = 'body' | 'basic';

/** A token request, its options already checked (internal). */
export interface TokenRequest {
  tokenUrl: string;
  clientId: string;
  /** Revealed; undefined for a public client (PKCE alone). */
  clientSecret: string | undefined;
  clientAuth: OAuth2ClientAuth;
  grant: TokenGrant;
  /** The grant's form fields, `grant_type` included. */
  params: Record<string, string>;
  /** Values of `params` that are secrets (a code, a verifier, a refresh token), scrubbed from any error. */
  secretParams: readonly string[];
  fetch: typeof fetch | undefined;
  timeoutMs: number;
  now: () => number;
  /** The set a refresh replaces: its refresh token and scope are kept when the answer has none. */
  previous?: OAuth2TokenSet;
}

/** The outcome, and the RFC 6749 `error` code when the server answered one (`invalid_grant`…). */
export interface TokenRequestOutcome {
  result: ApiResult<OAuth2TokenSet>;
  oauthError?: string;
}

// A token answer is a few hundred bytes; this bounds what a misbehaving endpoint can make us hold.
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;

/** Sends one token request and reads its answer; never throws or rejects (internal). */
export async function requestTokens(request: TokenRequest): Promise<TokenRequestOutcome> {
  const { grant } = request;
  const forms = scrubbedForms(
    [request.clientSecret ?? '', ...request.secretParams].filter((value) => value.length > 0),
  );
  const scrub = (text: string) => replaceForms(text, forms);
  const url = new URL(request.tokenUrl);
  const path = url.pathname;
  const fail = (error: IntegrationError): TokenRequestOutcome => ({ result: err(error) });

  const body = new URLSearchParams(request.params);
  const headers = new Headers({
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  });
  if (request.clientAuth === 'basic' && request.clientSecret !== undefined) {
    // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
    const pair = `${formEncode(request.clientId)}:${formEncode(request.clientSecret)}`;
    headers.set('Authorization', `Basic ${toBase64(utf8(pair))}`);
  } else {
    body.set('client_id', request.clientId);
    if (request.clientSecret !== undefined) body.set('client_secret', request.clientSecret);
  }

  const timeout = AbortSignal.timeout(request.timeoutMs);
  // The lifetime counts from when the request left, not from when the answer came: the server started its clock
  // then, and a token taken to live the request's duration longer is sent after the server has expired it.
  const sentAt = request.now();
  let response: Response;
  try {
    const fetcher =
      request.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    const answer: unknown = await fetcher(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: timeout,
    });
    if (!isResponse(answer)) {
      return fail(
        new IntegrationError(
          'OPERATION_FAILED',
          `OAuth2 token request (${grant} grant): fetch returned something that is not a Response`,
          {
            field: 'fetch',
            retryable: false,
            method: 'POST',
            path,
          },
        ),
      );
    }
    response = answer;
  } catch (error) {
    if (timeout.aborted) {
      return fail(
        new IntegrationError(
          'TIMEOUT',
          `OAuth2 token request (${grant} grant) timed out after ${request.timeoutMs} ms`,
          {
            method: 'POST',
            path,
          },
        ),
      );
    }
    // Only a code or a name: a fetch error's message may quote the request.
    return fail(
      new IntegrationError(
        'NETWORK_ERROR',
        `OAuth2 token request (${grant} grant) could not reach the token endpoint (${reasonOf(error)})`,
        { method: 'POST', path },
      ),
    );
  }

  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    response.body?.cancel().catch(() => {});
    return fail(
      new IntegrationError(
        'INVALID_RESPONSE',
        `OAuth2 token request (${grant} grant) was redirected (${response.status}); not followed, as it carries the client's credentials`,
        { status: response.status, retryable: false, field: 'tokenUrl', method: 'POST', path },
      ),
    );
  }

  let text: string | undefined;
  try {
    const read = await readBodyText(response, MAX_TOKEN_RESPONSE_BYTES);
    text = read.tooLarge ? undefined : read.text;
  } catch {
    text = undefined;
  }
  const json = parseJson(text);

  // A body that holds tokens is taken whatever the status: some servers rotate the refresh token and send the new
  // one with an error status (a rate limit), and dropping it would leave only the spent one.
  const tokens = oauth2TokenResponseSchema.safeParse(json);
  const hasError = typeof json === 'object' && json !== null && 'error' in json;
  if (tokens.success && !hasError) {
    return { result: ok(tokenSetFromResponse(tokens.data, sentAt, request.previous)) };
  }
  if (response.ok && !hasError) {
    const issues =
      json === undefined
        ? [{ field: '(root)', message: 'must be a JSON object' }]
        : (tokens.error?.issues ?? []).map((issue) => ({
            field: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'),
            message: issue.message,
          }));
    return fail(
      new IntegrationError(
        'INVALID_RESPONSE',
        `OAuth2 token request (${grant} grant) answered ${response.status} with a body that is not a token response: ${issues
          .slice(0, 5)
          .map((issue) => `${issue.field}: ${issue.message}`)
          .join('; ')}`,
        { status: response.status, retryable: false, field: issues[0]?.field, issues, method: 'POST', path },
      ),
    );
  }
  // An error status, or (as some servers answer) 200 with an RFC 6749 `error` member.
  const failure = tokenEndpointError({
    status: response.ok ? 400 : response.status,
    headers: response.headers,
    body: json,
    grant,
    scrub,
    path,
  });
  return { result: err(failure.error), oauthError: failure.oauthError };
}

function isResponse(value: unknown): value is Response {
  try {
    return (
      value instanceof Response ||
      (typeof value === 'object' &&
        value !== null &&
        typeof (value as Response).status === 'number' &&
        (value as Response).headers instanceof Headers)
    );
  } catch {
    return false;
  }
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// application/x-www-form-urlencoded, as RFC 6749 Appendix B asks for the client id and secret.
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

function reasonOf(error: unknown): string {
  try {
    const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
    const code = (error as { code?: unknown }).code ?? cause?.code;
    if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return code;
    return error instanceof Error ? error.name : typeof error;
  } catch {
    return 'unknown';
  }
}
