// What a token endpoint's error answer (RFC 6749 §5.2: `{ error, error_description }`) means for the caller,
// as a typed IntegrationError. The description is the server's and may echo what was sent (a code, a refresh
// token): it is scrubbed of every secret of the request and cut short before it goes in a message.

import { codeForStatus, RETRYABLE_STATUSES } from '../http/classify.ts';
import { parseRetryAfterMs } from '../http/retry-after.ts';
import { type ErrorCode, IntegrationError } from '../result/errors.ts';

/** Which grant a token request was for: it names the field an `invalid_grant` is about. */
export type TokenGrant = 'authorization_code' | 'refresh_token';

/** A failed token response and what is needed to describe it. */
export interface TokenErrorInput {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  grant: TokenGrant;
  /** Removes every secret of the request from a text. */
  scrub: (text: string) => string;
  /** The token endpoint's path, for the error's `path`. */
  path: string;
}

/** The typed error, and the RFC 6749 `error` code when the server sent one. */
export interface TokenError {
  error: IntegrationError;
  oauthError: string | undefined;
}

const MAX_DESCRIPTION = 200;

// What each RFC 6749 §5.2 code (and the two §4.1.2.1 codes servers also answer with) means for the caller.
const MEANINGS: Record<
  string,
  { code: ErrorCode; retryable: boolean; advice: (grant: TokenGrant) => string }
> = {
  invalid_grant: {
    code: 'AUTH_ERROR',
    retryable: false,
    advice: (grant) =>
      grant === 'refresh_token'
        ? 'the refresh token is invalid, expired, revoked or was already used: the user must authorize the connection again (re-consent)'
        : 'the authorization code is invalid, expired or already used, or the code verifier or redirect URI does not match: start the authorization again',
  },
  invalid_client: {
    code: 'AUTH_ERROR',
    retryable: false,
    advice: () => 'the client authentication failed: check clientId, clientSecret and clientAuth',
  },
  unauthorized_client: {
    code: 'AUTH_ERROR',
    retryable: false,
    advice: (grant) =>
      grant === 'refresh_token'
        ? 'the client may not use this grant, or the server refused the refresh token: the user may need to authorize the connection again (re-consent)'
        : 'the client is not allowed to use this grant',
  },
  access_denied: {
    code: 'AUTH_ERROR',
    retryable: false,
    advice: () => 'the server refused the request',
  },
  invalid_request: {
    code: 'CONFIG_ERROR',
    retryable: false,
    advice: () => 'the server refused the request as malformed: check tokenUrl, redirectUri and clientAuth',
  },
  unsupported_grant_type: {
    code: 'CONFIG_ERROR',
    retryable: false,
    advice: () => 'the server does not support this grant type',
  },
  invalid_scope: {
    code: 'CONFIG_ERROR',
    retryable: false,
    advice: () => 'the requested scope is invalid or exceeds what was granted',
  },
  server_error: { code: 'SERVER_ERROR', retryable: true, advice: () => 'the server failed' },
  temporarily_unavailable: {
    code: 'SERVER_ERROR',
    retryable: true,
    advice: () => 'the server is temporarily unavailable',
  },
};

/**
 * The IntegrationError for a token endpoint's failure: by the RFC 6749 `error` code when there is one
 * (`invalid_grant` → `AUTH_ERROR`, not retryable, saying re-consent is needed), else by status (429 with
 * `Retry-After`). The message names the grant, the status, the `error` code and the scrubbed description.
 */
export function tokenEndpointError(input: TokenErrorInput): TokenError {
  const { status, grant } = input;
  const oauthError = readText(input.body, 'error');
  const description = readText(input.body, 'error_description');
  const meaning = oauthError === undefined ? undefined : MEANINGS[oauthError];
  const code = meaning?.code ?? codeForStatus(status);
  const retryable = meaning?.retryable ?? RETRYABLE_STATUSES.has(status);
  const said = [
    oauthError === undefined ? undefined : safeText(oauthError, input.scrub, 60),
    description === undefined ? undefined : `"${safeText(description, input.scrub, MAX_DESCRIPTION)}"`,
  ]
    .filter(Boolean)
    .join(' ');
  const advice = meaning?.advice(grant);
  const message =
    `OAuth2 token request (${grant} grant) failed with ${status}` +
    (said ? `: ${said}` : '') +
    (advice ? `; ${advice}` : '');
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfterMs(input.headers) : undefined;
  return {
    oauthError,
    error: new IntegrationError(code, message, {
      status,
      retryable,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(oauthError === 'invalid_grant'
        ? { field: grant === 'refresh_token' ? 'refreshToken' : 'code' }
        : {}),
      method: 'POST',
      path: input.path,
    }),
  };
}

function readText(body: unknown, key: string): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const value = (body as Record<string, unknown>)[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

// Scrubbed first (a cut could leave half a secret), then cut, control characters out so a log line stays one line.
function safeText(text: string, scrub: (text: string) => string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
  const clean = scrub(text).replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
