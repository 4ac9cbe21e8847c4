import { describe, expect, it } from 'vitest';
import { CODE_VERIFIER_PATTERN, codeChallengeS256, createCodeVerifier, createState } from './pkce.ts';

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636 Appendix B', async () => {
    expect(await codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes 43-character verifiers of the allowed characters, a new one each time', () => {
    const verifiers = new Set(Array.from({ length: 50 }, createCodeVerifier));
    expect(verifiers.size).toBe(50);
    for (const verifier of verifiers) {
      expect(verifier).toHaveLength(43);
      expect(verifier).toMatch(CODE_VERIFIER_PATTERN);
    }
  });

  it('makes unguessable URL-safe states', () => {
    const states = new Set(Array.from({ length: 50 }, createState));
    expect(states.size).toBe(50);
    for (const state of states) expect(state).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('accepts verifiers of 43 to 128 unreserved characters only', () => {
    expect(CODE_VERIFIER_PATTERN.test('a'.repeat(42))).toBe(false);
    expect(CODE_VERIFIER_PATTERN.test('a'.repeat(128))).toBe(true);
    expect(CODE_VERIFIER_PATTERN.test('a'.repeat(129))).toBe(false);
    expect(CODE_VERIFIER_PATTERN.test(`${'a'.repeat(42)}+`)).toBe(false);
    expect(CODE_VERIFIER_PATTERN.test(`${'a'.repeat(40)}-._~`)).toBe(true);
  });
});
