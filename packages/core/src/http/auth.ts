import * as z from 'zod/mini';
import { toBase64, utf8 } from '../encoding/encoding.ts';
import { IntegrationError, isIntegrationError } from '../result/errors.ts';
import type { ApiResult } from '../result/result.ts';
import { revealSecret, Secret } from '../secrets/secret.ts';
import { isHeaderName, isHeaderValue } from './header-syntax.ts';

type SecretValue = string | Secret;
type TokenFunction = () => SecretValue | Promise<SecretValue>;

/**
 * What `auth: { type: 'oauth2', tokens }` takes: an OAuth2 token manager (`createOAuth2TokenManager`), or any
 * object with `getAccessToken` (and `refreshAccessToken`, for one forced refresh and resend after a 401).
 */
export interface AccessTokenSource {
  getAccessToken(): Promise<ApiResult<Secret>>;
  refreshAccessToken?(options: { rejected?: string }): Promise<ApiResult<Secret>>;
}

const isAccessTokenSource = (value: unknown): value is AccessTokenSource => {
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as AccessTokenSource).getAccessToken === 'function' &&
      ['function', 'undefined'].includes(typeof (value as AccessTokenSource).refreshAccessToken)
    );
  } catch {
    return false;
  }
};

// A credential sent in a header: non-empty, and without the line breaks Headers refuses (naming the value).
const isHeaderCredential = (value: unknown): value is SecretValue => {
  if (value instanceof Secret) return !value.isEmpty && isHeaderValue(value.reveal());
  return typeof value === 'string' && value.length > 0 && isHeaderValue(value);
};
const isNonEmptySecretValue = (value: unknown): value is SecretValue =>
  value instanceof Secret ? !value.isEmpty : typeof value === 'string' && value.length > 0;

const headerCredential = z.custom<SecretValue>(isHeaderCredential, {
  error: 'must be a non-empty string or Secret without line breaks',
});
const tokenSchema = z.custom<SecretValue | TokenFunction>(
  (value) => typeof value === 'function' || isHeaderCredential(value),
  { error: 'must be a non-empty string or Secret without line breaks, or a function returning one' },
);

/** The `auth` option, validated: a CONFIG_ERROR names the field (`auth.type`, `auth.token`, …). */
export const authOptionSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('bearer'), token: tokenSchema }),
    z.object({
      type: z.literal('header'),
      name: z.custom<string>(isHeaderName, { error: 'must be a valid header name' }),
      value: headerCredential,
    }),
    z.object({
      type: z.literal('basic'),
      // RFC 7617: the user-id cannot contain a colon; the password may (and may be empty: some APIs take the
      // key as the user name).
      username: z
        .string({ error: 'must be a string' })
        .check(z.refine((name) => !name.includes(':'), 'must not contain ":"')),
      password: z.custom<SecretValue>((value) => typeof value === 'string' || value instanceof Secret, {
        error: 'must be a string or Secret',
      }),
    }),
    z.object({
      type: z.literal('query'),
      name: z.string({ error: 'must be a string' }).check(z.minLength(1, 'must not be empty')),
      value: z.custom<SecretValue>(isNonEmptySecretValue, { error: 'must be a non-empty string or Secret' }),
    }),
    z.object({
      type: z.literal('oauth2'),
      tokens: z.custom<AccessTokenSource>(isAccessTokenSource, {
        error: 'must have getAccessToken (an OAuth2 token manager)',
      }),
    }),
  ],
  { error: 'must be one of bearer, header, basic, query, oauth2' },
);

/**
 * How a client authenticates. Credentials may be strings or Secrets; a bearer token may be a function
 * (called before every attempt, so refreshed OAuth tokens are picked up on retries). `oauth2` takes a token
 * manager: a fresh token on every attempt, and after a 401 one forced refresh and one resend.
 * @example { type: 'bearer', token: process.env.CRM_API_KEY }
 */
export type AuthOption = z.input<typeof authOptionSchema>;

/**
 * Credentials known without calling anything, in the forms that go on the wire and that a server may echo
 * (for basic: the password, `user:password` and its base64), so they can be scrubbed from messages up front.
 */
export function staticSecretsOf(auth: AuthOption | undefined): string[] {
  if (!auth) return [];
  switch (auth.type) {
    case 'bearer':
      return typeof auth.token === 'function' ? [] : [revealSecret(auth.token)];
    case 'header':
    case 'query':
      return [revealSecret(auth.value)];
    case 'oauth2':
      return [];
    case 'basic': {
      const password = revealSecret(auth.password);
      const pair = `${auth.username}:${password}`;
      // With an empty password the user name is the key (`sk_live_…:`).
      const key = password === '' ? [auth.username] : [password];
      return [...key, pair, basicCredentials(auth.username, password)];
    }
  }
}

/**
 * Puts header credentials on an outgoing request (once per attempt, so token functions are re-read) and
 * returns the secret values used, so they can be scrubbed from anything printed later. Query credentials
 * are added to the URL up front instead: see `authQueryParam`. A token function that throws or returns
 * something unusable is an `IntegrationError` (field `auth.token`) that never contains the value.
 */
export async function applyAuthHeaders(headers: Headers, auth: AuthOption | undefined): Promise<string[]> {
  if (!auth) return [];
  switch (auth.type) {
    case 'bearer': {
      const token = typeof auth.token === 'function' ? await callTokenFunction(auth.token) : auth.token;
      const value = revealSecret(token);
      headers.set('Authorization', `Bearer ${value}`);
      return [value];
    }
    case 'header': {
      const value = revealSecret(auth.value);
      headers.set(auth.name, value);
      return [value];
    }
    case 'basic': {
      const encoded = basicCredentials(auth.username, revealSecret(auth.password));
      headers.set('Authorization', `Basic ${encoded}`);
      return [encoded];
    }
    case 'query':
      return [];
    case 'oauth2': {
      const value = revealSecret(await callTokenSource(() => auth.tokens.getAccessToken()));
      headers.set('Authorization', `Bearer ${value}`);
      return [value];
    }
  }
}

/** True when a 401 can be answered by a forced refresh: `oauth2` auth whose token source can refresh. */
export function refreshesOnUnauthorized(auth: AuthOption | undefined): boolean {
  return auth?.type === 'oauth2' && typeof auth.tokens.refreshAccessToken === 'function';
}

/**
 * After a 401: asks the token source for a replacement of the bearer token `headers` carry (one forced refresh,
 * unless another caller already replaced it), puts it on `headers` and returns it, to be scrubbed like the first.
 * A refresh that fails throws its IntegrationError (an `invalid_grant` says re-consent is needed).
 */
export async function reauthorize(headers: Headers, auth: AuthOption | undefined): Promise<string[]> {
  if (auth?.type !== 'oauth2' || typeof auth.tokens.refreshAccessToken !== 'function') return [];
  const rejected = /^Bearer (.+)$/.exec(headers.get('authorization') ?? '')?.[1] ?? '';
  const refresh = auth.tokens.refreshAccessToken.bind(auth.tokens);
  const value = revealSecret(await callTokenSource(() => refresh(rejected === '' ? {} : { rejected })));
  headers.set('Authorization', `Bearer ${value}`);
  return [value];
}

/** The query parameter carrying the credential, for APIs that take it in the URL (an `api_token` parameter, say). */
export function authQueryParam(auth: AuthOption | undefined): [name: string, value: string] | undefined {
  return auth?.type === 'query' ? [auth.name, revealSecret(auth.value)] : undefined;
}

async function callTokenFunction(token: TokenFunction): Promise<SecretValue> {
  let value: unknown;
  try {
    value = await token();
  } catch (error) {
    // Only the name: a refresh library's message may quote the refresh token or the response it got.
    const name = error instanceof Error ? error.name : typeof error;
    throw new IntegrationError('OPERATION_FAILED', `The auth token function failed (${name})`, {
      field: 'auth.token',
      retryable: false,
    });
  }
  if (!isHeaderCredential(value)) {
    throw new IntegrationError(
      'CONFIG_ERROR',
      'The auth token function must return a non-empty string or Secret without line breaks',
      { field: 'auth.token', retryable: false },
    );
  }
  return value;
}

// A token source's answer: its token, or its typed failure thrown as it is (the client returns it). A source that
// throws or answers no usable token is an IntegrationError naming `auth.tokens`, never quoting what it answered.
async function callTokenSource(get: () => Promise<ApiResult<Secret>>): Promise<SecretValue> {
  let result: unknown;
  try {
    result = await get();
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    throw new IntegrationError('OPERATION_FAILED', `The OAuth2 token source failed (${name})`, {
      field: 'auth.tokens',
      retryable: false,
    });
  }
  const read = readResult(result);
  if (read?.success === false) throw read.error;
  if (read?.success === true && isHeaderCredential(read.data)) return read.data;
  throw new IntegrationError(
    'CONFIG_ERROR',
    'The OAuth2 token source must answer an ApiResult holding a non-empty token without line breaks',
    { field: 'auth.tokens', retryable: false },
  );
}

function readResult(
  value: unknown,
): { success: true; data: unknown } | { success: false; error: IntegrationError } | undefined {
  try {
    if (typeof value !== 'object' || value === null) return undefined;
    const { success, data, error } = value as { success?: unknown; data?: unknown; error?: unknown };
    if (success === true) return { success, data };
    if (success === false && isIntegrationError(error)) return { success, error };
    return undefined;
  } catch {
    return undefined;
  }
}

// UTF-8 (RFC 7617): btoa alone throws on any character above U+00FF and sends Latin-1 for the rest.
function basicCredentials(username: string, password: string): string {
  return toBase64(utf8(`${username}:${password}`));
}
