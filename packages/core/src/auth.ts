import * as z from 'zod/mini';
import { toBase64, utf8 } from './encoding.ts';
import { IntegrationError } from './errors.ts';
import { isHeaderName, isHeaderValue } from './header-syntax.ts';
import { revealSecret, Secret } from './secret.ts';

type SecretValue = string | Secret;
type TokenFunction = () => SecretValue | Promise<SecretValue>;

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
  ],
  { error: 'must be one of bearer, header, basic, query' },
);

/**
 * How a client authenticates. Credentials may be strings or Secrets; a bearer token may be a function
 * (called before every attempt, so refreshed OAuth tokens are picked up on retries).
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
  }
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

// UTF-8 (RFC 7617): btoa alone throws on any character above U+00FF and sends Latin-1 for the rest.
function basicCredentials(username: string, password: string): string {
  return toBase64(utf8(`${username}:${password}`));
}
