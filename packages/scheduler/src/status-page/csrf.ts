// The replay form changes state, so it is protected against cross-site requests twice: the browser must say the
// request is same-origin (Origin, else Sec-Fetch-Site; a POST saying neither is refused), and the form must
// carry the token also set in a SameSite=Strict, HttpOnly cookie when the page was served (double submit). A
// page on another site can neither read the token nor make the browser send the cookie with its POST.

/** The cookie holding the page's CSRF token. */
export const CSRF_COOKIE = 'patchbay_status_csrf';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A new random token: 32 bytes, base64url. */
export function newCsrfToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Buffer.from(bytes).toString('base64url');
}

/** The token of the request's cookie, when it has a well-formed one. */
export function csrfCookieOf(request: Request): string | null {
  const header = request.headers.get('cookie') ?? '';
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE) {
      const value = rest.join('=');
      return TOKEN.test(value) ? value : null;
    }
  }
  return null;
}

/** The Set-Cookie value for `token`, limited to `path`, Secure on https. */
export function csrfCookie(token: string, options: { path: string; secure: boolean }): string {
  return `${CSRF_COOKIE}=${token}; Path=${options.path}; HttpOnly; SameSite=Strict${options.secure ? '; Secure' : ''}`;
}

/** Whether the browser says the request comes from the page's own origin (or one of `allowedOrigins`). */
export function isSameOrigin(request: Request, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.get('origin');
  if (origin !== null) return origin === new URL(request.url).origin || allowedOrigins.includes(origin);
  return request.headers.get('sec-fetch-site') === 'same-origin';
}

/** Compares two tokens in time independent of where they differ. */
export function tokensMatch(a: string | null, b: string | null): boolean {
  if (a === null || b === null || !TOKEN.test(a) || a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}
