// The first leg of the authorization-code flow (RFC 6749 §4.1.1) with PKCE (RFC 7636): the URL the user is
// sent to, and the `state` and code verifier to keep (in the user's session) until the redirect comes back.

import * as z from 'zod/mini';
import { type ApiResult, ok } from '../result/result.ts';
import { settle } from '../result/settle.ts';
import { Secret } from '../secrets/secret.ts';
import { clientId, endpointUrl, readOAuthOptions, redirectUri } from './options.ts';
import { codeChallengeS256, createCodeVerifier, createState } from './pkce.ts';

/** Options of {@link buildAuthorizationUrl}. */
export interface BuildAuthorizationUrlOptions {
  /** The authorization endpoint; a query it already has is kept. */
  authorizeUrl: string;
  clientId: string;
  redirectUri: string;
  /** Joined with spaces into `scope`; omitted when empty. */
  scopes?: readonly string[];
  /** Default: 128 random bits, base64url. Pass your own only if it is as unguessable. */
  state?: string;
  /** More query parameters (`prompt`, `access_type`…); the ones this function sets cannot be overridden. */
  extraParams?: Record<string, string>;
}

/** What {@link buildAuthorizationUrl} returns: send the user to `url`, keep `state` and `codeVerifier`. */
export interface AuthorizationRequest {
  url: string;
  /** Compare it with the `state` the redirect brings back (`exchangeCode` does). */
  state: string;
  /** The PKCE verifier, for `exchangeCode`; keep it server-side, never in the URL. */
  codeVerifier: Secret;
  /** `base64url(SHA-256(codeVerifier))`, sent as `code_challenge` with `code_challenge_method=S256`. */
  codeChallenge: string;
}

// The parameters this function owns: letting extraParams replace them would undo PKCE or the CSRF check.
const RESERVED = new Set([
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
]);

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
const scopeToken = z
  .string({ error: 'must be a string' })
  .check(
    z.regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'must be a scope token (printable ASCII without spaces, " or \\)'),
  );

const schema = z.strictObject({
  authorizeUrl: endpointUrl,
  clientId,
  redirectUri,
  scopes: z.optional(z.array(scopeToken, { error: 'must be an array of strings' })),
  // RFC 6749 Appendix A.5: state = 1*VSCHAR (%x20-7E).
  state: z.optional(
    z
      .string({ error: 'must be a string' })
      .check(z.regex(/^[\x20-\x7e]+$/, 'must be non-empty printable ASCII')),
  ),
  extraParams: z.optional(
    z
      .record(z.string(), z.string({ error: 'must be a string' }), { error: 'must be an object of strings' })
      .check(
        z.superRefine((params, ctx) => {
          for (const key of Object.keys(params)) {
            if (RESERVED.has(key)) {
              ctx.issues.push({
                code: 'custom',
                message: 'is set by buildAuthorizationUrl',
                path: [key],
                input: params,
              });
            }
          }
        }),
      ),
  ),
});

/**
 * Builds the authorization URL of the authorization-code flow with PKCE (S256) and a random `state`.
 * Never throws or rejects: an option of the wrong kind is a `VALIDATION_ERROR` naming it (`redirectUri`,
 * `scopes.1`, `extraParams.state`).
 * @example
 * const auth = await buildAuthorizationUrl({ authorizeUrl, clientId, redirectUri, scopes: ['read'] });
 * if (auth.success) { session.oauth = { state: auth.data.state, verifier: auth.data.codeVerifier.reveal() }; redirect(auth.data.url); }
 */
export function buildAuthorizationUrl(
  options: BuildAuthorizationUrlOptions,
): Promise<ApiResult<AuthorizationRequest>> {
  return settle('buildAuthorizationUrl', async () => {
    const read = readOAuthOptions(schema, options, 'authorization options', 'VALIDATION_ERROR');
    if (!read.success) return read;
    const checked = read.data;
    const verifier = createCodeVerifier();
    const challenge = await codeChallengeS256(verifier);
    const state = checked.state ?? createState();
    const url = new URL(checked.authorizeUrl);
    for (const [key, value] of Object.entries(checked.extraParams ?? {})) url.searchParams.set(key, value);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', checked.clientId);
    url.searchParams.set('redirect_uri', checked.redirectUri);
    if (checked.scopes && checked.scopes.length > 0) url.searchParams.set('scope', checked.scopes.join(' '));
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', challenge);
    url.searchParams.set('code_challenge_method', 'S256');
    return ok({ url: url.toString(), state, codeVerifier: new Secret(verifier), codeChallenge: challenge });
  });
}
