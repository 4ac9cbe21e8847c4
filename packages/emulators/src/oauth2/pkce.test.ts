import { describe, expect, it } from 'vitest';
import { s256Challenge, verifierMatches } from './pkce.ts';

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

describe('PKCE checks', () => {
  it('computes the RFC 7636 Appendix B challenge', () => {
    expect(s256Challenge(VERIFIER)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('matches a verifier to its S256 or plain challenge only', () => {
    expect(verifierMatches(VERIFIER, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256')).toBe(true);
    expect(verifierMatches(VERIFIER, VERIFIER, 'plain')).toBe(true);
    expect(verifierMatches(VERIFIER, VERIFIER, 'S256')).toBe(false);
    expect(verifierMatches(`${VERIFIER.slice(0, -1)}x`, s256Challenge(VERIFIER), 'S256')).toBe(false);
  });

  it('refuses a malformed verifier whatever the challenge', () => {
    expect(verifierMatches('short', 'short', 'plain')).toBe(false);
    expect(verifierMatches(`${'a'.repeat(43)} `, s256Challenge(`${'a'.repeat(43)} `), 'S256')).toBe(false);
  });
});
