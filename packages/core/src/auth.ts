import { toBase64, utf8 } from './encoding.ts';
import { revealSecret, type Secret } from './secret.ts';

type SecretValue = string | Secret;

/**
 * How a client authenticates. Credentials may be strings or Secrets; a bearer token may be a function
 * (called before every attempt, so refreshed OAuth tokens are picked up on retries).
 * @example { type: 'bearer', token: process.env.TWENTY_API_KEY }
 */
export type AuthOption =
  | { type: 'bearer'; token: SecretValue | (() => SecretValue | Promise<SecretValue>) }
  | { type: 'header'; name: string; value: SecretValue }
  | { type: 'basic'; username: string; password: SecretValue }
  | { type: 'query'; name: string; value: SecretValue };

/** Credentials known without calling anything, so they can be scrubbed from messages up front. */
export function staticSecretsOf(auth: AuthOption | undefined): string[] {
  if (!auth) return [];
  switch (auth.type) {
    case 'bearer':
      return typeof auth.token === 'function' ? [] : [revealSecret(auth.token)];
    case 'header':
    case 'query':
      return [revealSecret(auth.value)];
    case 'basic':
      return [revealSecret(auth.password), basicCredentials(auth.username, revealSecret(auth.password))];
  }
}

/**
 * Puts header credentials on an outgoing request (once per attempt, so token functions are re-read) and
 * returns the secret values used, so they can be scrubbed from anything printed later. Query credentials
 * are added to the URL up front instead: see `authQueryParam`.
 */
export async function applyAuthHeaders(headers: Headers, auth: AuthOption | undefined): Promise<string[]> {
  if (!auth) return [];
  switch (auth.type) {
    case 'bearer': {
      const token = revealSecret(typeof auth.token === 'function' ? await auth.token() : auth.token);
      headers.set('Authorization', `Bearer ${token}`);
      return [token];
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

/** The query parameter carrying the credential, for APIs that take it in the URL (Pipedrive's api_token). */
export function authQueryParam(auth: AuthOption | undefined): [name: string, value: string] | undefined {
  return auth?.type === 'query' ? [auth.name, revealSecret(auth.value)] : undefined;
}

// UTF-8 (RFC 7617): btoa alone throws on any character above U+00FF and sends Latin-1 for the rest.
function basicCredentials(username: string, password: string): string {
  return toBase64(utf8(`${username}:${password}`));
}
