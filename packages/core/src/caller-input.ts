// Reading what a JavaScript caller passed, whatever it is: a Proxy whose traps throw, a getter that throws, an
// object without a prototype, a Symbol or a BigInt. Nothing here lets such a value throw past it.

/** The kind of a value for a message, without reading it (it may be a Proxy, a secret or personal data). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  const type = typeof value;
  if (type !== 'object') return type === 'undefined' ? 'undefined' : `a ${type}`;
  try {
    // Array.isArray throws on a revoked Proxy.
    return Array.isArray(value) ? 'an array' : 'an object';
  } catch {
    return 'an object';
  }
}
