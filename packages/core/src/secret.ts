const REDACTED = '[REDACTED]';
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * A credential that prints as `[REDACTED]` through toString, JSON.stringify, template strings and
 * Node's/Deno's inspect. Read it only where it is sent, with `reveal()`.
 * @example const key = new Secret(process.env.API_KEY); headers.set('Authorization', `Bearer ${key.reveal()}`);
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
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

/** Wraps a string in a Secret; a Secret passes through. */
export const toSecret = (value: string | Secret): Secret =>
  value instanceof Secret ? value : new Secret(value);

/** The raw value of a string or Secret. */
export const revealSecret = (value: string | Secret): string =>
  value instanceof Secret ? value.reveal() : value;
