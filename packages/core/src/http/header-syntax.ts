// RFC 9110 field-name: a token.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** True when `name` may be an HTTP header name (an RFC 9110 token). */
export const isHeaderName = (name: unknown): name is string => typeof name === 'string' && TOKEN.test(name);

/**
 * True when `value` may be an HTTP header value: a string without CR, LF or NUL (what `Headers` refuses,
 * naming the value in its error, which would print a credential).
 */
export function isHeaderValue(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x0a || code === 0x0d || code === 0x00) return false;
  }
  return true;
}
