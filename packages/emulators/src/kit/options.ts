// Reading the options a test author passes to the kit and the emulators, whatever they are: a Proxy whose traps
// throw, a getter that throws, a Symbol, NaN. The emulators import no Patchbay package (a client bug must not hide
// behind a shared mistake), so the error mirrors core's IntegrationError by shape: `code: 'CONFIG_ERROR'`, the
// `field`, and `issues`. It extends RangeError, what the factories threw before, so existing checks still hold.

/** What an emulator factory throws for an option it cannot work with; it names the option, never quotes it. */
export class EmulatorConfigError extends RangeError {
  override readonly name = 'EmulatorConfigError';
  readonly code = 'CONFIG_ERROR';
  readonly field: string;
  readonly issues: { field: string; message: string }[];

  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super(`Invalid emulator options: ${field}: ${message}`, options);
    this.field = field;
    this.issues = [{ field, message }];
  }
}

/** The kind of a value for a message, without reading it (never throws, even for a revoked Proxy). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  try {
    if (Array.isArray(value)) return 'an array';
  } catch {
    return 'an object';
  }
  const type = typeof value;
  return type === 'undefined' ? 'undefined' : `a${/^[aeiou]/.test(type) ? 'n' : ''} ${type}`;
}

/**
 * The listed properties of an options object, each read once into a plain object: `undefined` is no options;
 * anything but a plain object, or a property whose getter or Proxy trap throws, is an EmulatorConfigError naming
 * the field. Properties not listed are never read.
 * @example const read = readOptionsObject(options, ['seed'], 'options');
 */
export function readOptionsObject<K extends string>(
  value: unknown,
  keys: readonly K[],
  field: string,
): { [P in K]?: unknown } {
  const out: { [P in K]?: unknown } = {};
  if (value === undefined) return out;
  let isArray = false;
  try {
    isArray = Array.isArray(value);
  } catch {
    // A revoked Proxy: not an options object.
    isArray = true;
  }
  if (typeof value !== 'object' || value === null || isArray) {
    throw new EmulatorConfigError(field, `must be an object, not ${kindOf(value)}`);
  }
  for (const key of keys) {
    let read: unknown;
    try {
      read = (value as Record<string, unknown>)[key];
    } catch {
      throw new EmulatorConfigError(`${field}.${key}`, 'could not be read (its getter or Proxy threw)');
    }
    if (read !== undefined) out[key] = read;
  }
  return out;
}

/** A timer's longest delay: setTimeout fires at once past it. */
export const MAX_TIMER_MS = 2_147_483_647;

/** `value` when it is a finite number within `min..max` (an integer when asked), else an EmulatorConfigError. */
export function numberOption(
  value: unknown,
  field: string,
  bounds: { min: number; max?: number; integer?: boolean },
): number {
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= bounds.min &&
    value <= max &&
    (!bounds.integer || Number.isInteger(value));
  if (ok) return value;
  const kind = bounds.integer ? 'an integer' : 'a finite number';
  throw new EmulatorConfigError(field, `must be ${kind} from ${bounds.min} to ${max}`);
}

/** `value` when it is a function, else an EmulatorConfigError. */
export function functionOption<F>(value: unknown, field: string): F {
  if (typeof value === 'function') return value as F;
  throw new EmulatorConfigError(field, `must be a function, not ${kindOf(value)}`);
}

/** `value` when it is a string, else an EmulatorConfigError. */
export function stringOption(value: unknown, field: string, options: { nonEmpty?: boolean } = {}): string {
  if (typeof value === 'string' && (!options.nonEmpty || value.length > 0)) return value;
  throw new EmulatorConfigError(field, options.nonEmpty ? 'must be a non-empty string' : 'must be a string');
}
