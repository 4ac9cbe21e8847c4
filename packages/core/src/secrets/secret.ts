import { IntegrationError } from '../result/errors.ts';

const REDACTED = '[REDACTED]';
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * A credential that prints as `[REDACTED]` through toString, JSON.stringify, template strings and
 * Node's/Deno's inspect. Read it only where it is sent, with `reveal()`. Only a string can be wrapped:
 * anything else throws `CONFIG_ERROR` (field `value`), without quoting it.
 * @example const key = new Secret(process.env.API_KEY ?? ''); headers.set('Authorization', `Bearer ${key.reveal()}`);
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    if (typeof value !== 'string') {
      throw new IntegrationError('CONFIG_ERROR', 'Invalid secret: value: must be a string', {
        field: 'value',
        issues: [{ field: 'value', message: 'must be a string' }],
        retryable: false,
      });
    }
    this.#value = value;
  }

  /**
   * `instanceof Secret` by the private field, not the prototype chain: a Proxy (whose traps may throw) or an
   * object made with `Object.create(Secret.prototype)` is no Secret, and checking one never throws.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
    if (!(#value in value)) return false;
    // A subclass keeps the ordinary meaning (only its own instances): `this` is the class instanceof asked.
    // biome-ignore lint/complexity/noThisInStatic: `this` is deliberately the subclass here, not Secret.
    return this === Secret || Function.prototype[Symbol.hasInstance].call(this, value);
  }

  /** The raw value. Call it only at the point of use (a header, a signature), never for display. */
  reveal(): string {
    return this.#value;
  }

  /** True when the wrapped value is the empty string. */
  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspectSymbol](): string {
    return `Secret(${REDACTED})`;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}

/** Wraps a string in a Secret; a Secret passes through. Anything else throws `CONFIG_ERROR` (field `value`). */
export const toSecret = (value: string | Secret): Secret =>
  value instanceof Secret ? value : new Secret(value);

/** The raw value of a string or Secret; any other value is returned as it is (check its type after). */
export const revealSecret = (value: string | Secret): string =>
  value instanceof Secret ? value.reveal() : value;
