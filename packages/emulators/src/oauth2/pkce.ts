// PKCE as an authorization server checks it (RFC 7636 §4.6): the verifier's S256 (or plain) transform must equal
// the challenge the authorization request carried.
import { createHash, timingSafeEqual } from 'node:crypto';

/** The challenge methods RFC 7636 defines. */
export type ChallengeMethod = 'S256' | 'plain';

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)), unpadded. */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** True when `verifier` is well formed and transforms into `challenge` by `method`; compared in constant time. */
export function verifierMatches(verifier: string, challenge: string, method: ChallengeMethod): boolean {
  if (!VERIFIER.test(verifier)) return false;
  const computed = Buffer.from(method === 'S256' ? s256Challenge(verifier) : verifier);
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
