// PKCE (RFC 7636) and the `state` value of an authorization request: random values from Web Crypto, so this runs
// wherever fetch does.

import { toBase64Url, utf8 } from '../encoding/encoding.ts';

// 32 random bytes give the 43-character verifier RFC 7636 §4.1 recommends (256 bits of entropy).
const VERIFIER_BYTES = 32;
// 128 bits: more than enough to be unguessable (RFC 6749 §10.12 asks for a non-guessable value).
const STATE_BYTES = 16;

/** The characters RFC 7636 §4.1 allows in a code verifier ("unreserved"), 43 to 128 of them. */
export const CODE_VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

/** A new random code verifier: 43 base64url characters (internal). */
export function createCodeVerifier(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(VERIFIER_BYTES)));
}

/** A new random `state`: 22 base64url characters (internal). */
export function createState(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(STATE_BYTES)));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))), RFC 7636 §4.2 (internal). */
export async function codeChallengeS256(verifier: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(verifier))));
}
