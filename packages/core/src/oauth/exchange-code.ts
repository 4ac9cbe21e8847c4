// The second leg of the authorization-code flow (RFC 6749 §4.1.3, RFC 7636 §4.5): the redirect's `state` checked
// against the one kept, then the code and the PKCE verifier exchanged for a token set.

import * as z from 'zod/mini';
import { utf8 } from '../encoding/encoding.ts';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err } from '../result/result.ts';
import { settle } from '../result/settle.ts';
import type { Secret } from '../secrets/secret.ts';
import { timingSafeEqual } from '../webhooks/hmac.ts';
import {
  clientAuth,
  clientId,
  clockOption,
  codeVerifier,
  durationMs,
  endpointUrl,
  fetchOption,
  readClock,
  readOAuthOptions,
  redirectUri,
  secretText,
} from './options.ts';
import { type OAuth2ClientAuth, requestTokens } from './token-request.ts';
import type { OAuth2TokenSet } from './token-set.ts';

/** Options of {@link exchangeCode}. */
export interface ExchangeCodeOptions {
  tokenUrl: string;
  clientId: string;
  /** Absent for a public client (PKCE alone). */
  clientSecret?: string | Secret;
  /** The `code` the redirect brought. */
  code: string | Secret;
  /** The verifier `buildAuthorizationUrl` returned for this authorization. */
  codeVerifier: string | Secret;
  /** The same `redirectUri` the authorization URL carried. */
  redirectUri: string;
  /** The `state` `buildAuthorizationUrl` returned (kept in the user's session). */
  expectedState: string;
  /** The `state` the redirect brought; anything but the expected text is refused. */
  receivedState: string | null | undefined;
  /** `'body'` (default): `client_id` and `client_secret` as form fields; `'basic'`: HTTP Basic (RFC 6749 §2.3.1). */
  clientAuth?: OAuth2ClientAuth;
  fetch?: typeof fetch;
  /** Clock for `expiresAt`, epoch ms. Default `Date.now`. */
  clock?: () => number;
  /** Default 10 000. */
  timeoutMs?: number;
}

const schema = z.strictObject({
  tokenUrl: endpointUrl,
  clientId,
  clientSecret: z.optional(secretText),
  code: secretText,
  codeVerifier,
  redirectUri,
  expectedState: z.string({ error: 'must be a string' }).check(z.minLength(1, 'must not be empty')),
  receivedState: z.optional(z.nullable(z.unknown())),
  clientAuth,
  fetch: fetchOption,
  clock: clockOption,
  timeoutMs: z.optional(durationMs(1)),
});

/**
 * Checks the redirect's `state` against the expected one in constant time, then exchanges the authorization code
 * (with its PKCE verifier) for a token set. Never throws or rejects. A `state` that differs or is missing is
 * `AUTH_ERROR` (`field: 'receivedState'`) and nothing is sent; the token endpoint's errors are typed
 * (`invalid_grant` → `AUTH_ERROR`, not retryable). No error, log or `toJSON` holds the secret, code or verifier.
 * @example
 * const tokens = await exchangeCode({ tokenUrl, clientId, clientSecret, code: query.code, codeVerifier: session.verifier,
 *   redirectUri, expectedState: session.state, receivedState: query.state });
 */
export function exchangeCode(options: ExchangeCodeOptions): Promise<ApiResult<OAuth2TokenSet>> {
  return settle('exchangeCode', async () => {
    const read = readOAuthOptions(schema, options, 'code exchange options', 'VALIDATION_ERROR');
    if (!read.success) return read;
    const checked = read.data;
    if (!statesMatch(checked.expectedState, checked.receivedState)) {
      return err(
        new IntegrationError(
          'AUTH_ERROR',
          'The authorization response state does not match the one sent (a forged or stale redirect); start the authorization again',
          { field: 'receivedState', retryable: false },
        ),
      );
    }
    const code = checked.code.reveal();
    const verifier = checked.codeVerifier.reveal();
    const clock = checked.clock ?? Date.now;
    const outcome = await requestTokens({
      tokenUrl: checked.tokenUrl,
      clientId: checked.clientId,
      clientSecret: checked.clientSecret?.reveal(),
      clientAuth: checked.clientAuth ?? 'body',
      grant: 'authorization_code',
      params: {
        grant_type: 'authorization_code',
        code,
        redirect_uri: checked.redirectUri,
        code_verifier: verifier,
      },
      secretParams: [code, verifier],
      fetch: checked.fetch,
      timeoutMs: checked.timeoutMs ?? 10_000,
      now: () => readClock(clock),
    });
    return outcome.result;
  });
}

/** True when `received` is the expected state, compared in time that does not depend on where they differ. */
export function statesMatch(expected: string, received: unknown): boolean {
  if (typeof received !== 'string') return false;
  return timingSafeEqual(utf8(expected), utf8(received));
}
