import { describe, expect, it } from 'vitest';
import { CSRF_COOKIE, csrfCookie, csrfCookieOf, isSameOrigin, newCsrfToken, tokensMatch } from './csrf.ts';

describe('csrf', () => {
  it('makes distinct well-formed tokens and reads them back from the cookie', () => {
    const a = newCsrfToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newCsrfToken()).not.toBe(a);
    const request = new Request('http://x.test/', { headers: { cookie: `other=1; ${CSRF_COOKIE}=${a}` } });
    expect(csrfCookieOf(request)).toBe(a);
    expect(
      csrfCookieOf(new Request('http://x.test/', { headers: { cookie: `${CSRF_COOKIE}=short` } })),
    ).toBeNull();
    expect(csrfCookie(a, { path: '/status', secure: true })).toBe(
      `${CSRF_COOKIE}=${a}; Path=/status; HttpOnly; SameSite=Strict; Secure`,
    );
  });

  it('matches equal tokens only', () => {
    const a = newCsrfToken();
    expect(tokensMatch(a, a)).toBe(true);
    expect(tokensMatch(a, newCsrfToken())).toBe(false);
    expect(tokensMatch(a, null)).toBe(false);
    expect(tokensMatch(null, null)).toBe(false);
    expect(tokensMatch('', '')).toBe(false);
  });

  it('accepts the same origin or same-origin fetch metadata, refuses others and silence', () => {
    const post = (headers: Record<string, string>) =>
      new Request('http://app.test/status/replay', { method: 'POST', headers });
    expect(isSameOrigin(post({ origin: 'http://app.test' }), [])).toBe(true);
    expect(isSameOrigin(post({ origin: 'http://evil.test' }), [])).toBe(false);
    expect(isSameOrigin(post({ origin: 'null' }), [])).toBe(false);
    expect(isSameOrigin(post({ origin: 'https://public.app' }), ['https://public.app'])).toBe(true);
    expect(isSameOrigin(post({ 'sec-fetch-site': 'same-origin' }), [])).toBe(true);
    expect(isSameOrigin(post({ 'sec-fetch-site': 'cross-site' }), [])).toBe(false);
    expect(isSameOrigin(post({}), [])).toBe(false);
  });
});
