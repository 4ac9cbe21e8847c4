/** Every error code a Patchbay client can return (frozen: the list is shared by every client). */
export const ERROR_CODES = Object.freeze([
  'AUTH_ERROR',
  'RATE_LIMIT',
  'TIMEOUT',
  'NETWORK_ERROR',
  'NOT_FOUND',
  'CONFLICT',
  'SERVER_ERROR',
  'VALIDATION_ERROR',
  'INVALID_RESPONSE',
  'CIRCUIT_OPEN',
  'ABORTED',
  'CONFIG_ERROR',
  'OPERATION_FAILED',
] as const);

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One field-level problem, as reported by config resolution or schema validation. */
export interface FieldIssue {
  field: string;
  message: string;
}

export interface IntegrationErrorOptions {
  status?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  requestId?: string;
  field?: string;
  issues?: FieldIssue[];
  attempts?: number;
  method?: string;
  path?: string;
  cause?: unknown;
}

// Default retryability per code: the transient ones are worth another try later.
const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set([
  'RATE_LIMIT',
  'TIMEOUT',
  'NETWORK_ERROR',
  'SERVER_ERROR',
  'CIRCUIT_OPEN',
]);

/**
 * The one error type of every Patchbay package. Safe to log and serialize: it never carries a request,
 * a response, headers or a body, only what is listed here.
 * @example
 * if (!result.success && result.error.code === 'RATE_LIMIT') await sleep(result.error.retryAfterMs ?? 1000);
 */
export class IntegrationError extends Error {
  override readonly name = 'IntegrationError';
  readonly code: ErrorCode;
  // `declare`: with ES2022+ class fields a plain declaration would own every key as undefined.
  declare readonly status?: number;
  readonly retryable: boolean;
  declare readonly retryAfterMs?: number;
  declare readonly requestId?: string;
  declare readonly field?: string;
  declare readonly issues?: FieldIssue[];
  declare readonly attempts?: number;
  declare readonly method?: string;
  declare readonly path?: string;

  constructor(code: ErrorCode, message: string, options: IntegrationErrorOptions = {}) {
    // Callers in plain JavaScript may pass anything: an error must still come out, whole and serializable, so
    // each option is read once and kept only when it has its documented type.
    const checked = readErrorOptions(options);
    super(messageText(message), checked.cause === undefined ? undefined : { cause: checked.cause });
    this.code = isErrorCode(code) ? code : 'OPERATION_FAILED';
    this.retryable = checked.retryable ?? RETRYABLE_BY_DEFAULT.has(this.code);
    // Only own the keys that are set, so toJSON and inspect stay small.
    if (checked.status !== undefined) this.status = checked.status;
    if (checked.retryAfterMs !== undefined) this.retryAfterMs = checked.retryAfterMs;
    if (checked.requestId !== undefined) this.requestId = checked.requestId;
    if (checked.field !== undefined) this.field = checked.field;
    if (checked.issues !== undefined) this.issues = checked.issues;
    if (checked.attempts !== undefined) this.attempts = checked.attempts;
    if (checked.method !== undefined) this.method = checked.method;
    if (checked.path !== undefined) this.path = checked.path;
  }

  toJSON(): Record<string, unknown> {
    const cause = causeSummary(this.cause);
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      field: this.field,
      issues: this.issues,
      attempts: this.attempts,
      method: this.method,
      path: this.path,
      cause,
    };
  }
}

/** True when `value` is an IntegrationError (also across bundle copies of this package); never throws. */
export function isIntegrationError(value: unknown): value is IntegrationError {
  try {
    return (
      value instanceof IntegrationError ||
      (value instanceof Error &&
        value.name === 'IntegrationError' &&
        typeof (value as { code?: unknown }).code === 'string')
    );
  } catch {
    // A Proxy whose traps throw is no error of ours.
    return false;
  }
}

/**
 * A copy of `error` with some fields changed; errors are immutable. Fields are read once each, so a hostile
 * `error` or `changes` (a Proxy, a throwing getter) still gives an IntegrationError.
 * @example reviseError(error, { code: 'CONFLICT', retryable: false })
 */
export function reviseError(
  error: IntegrationError,
  changes: IntegrationErrorOptions & { code?: ErrorCode; message?: string },
): IntegrationError {
  const base = readKeys(error, ['code', 'message', ...ERROR_OPTION_KEYS]);
  const revised = readKeys(changes, ['code', 'message', ...ERROR_OPTION_KEYS]);
  const merged: Record<string, unknown> = {};
  for (const key of ERROR_OPTION_KEYS) merged[key] = revised[key] ?? base[key];
  // A new code without an explicit retryable takes that code's default.
  if (revised.code !== undefined && revised.retryable === undefined) merged.retryable = undefined;
  return new IntegrationError(
    (revised.code ?? base.code) as ErrorCode,
    (revised.message ?? base.message) as string,
    merged as IntegrationErrorOptions,
  );
}

/**
 * A `CONFIG_ERROR` or `VALIDATION_ERROR` for `issues`, named by the first issue's field: its message
 * `Invalid <what>: <field>: <message>; …` lists at most `listed` issues (default 5) and counts the rest; it
 * never quotes a value (it may be a secret or personal data).
 */
export function issuesError(
  code: 'CONFIG_ERROR' | 'VALIDATION_ERROR',
  what: string,
  issues: FieldIssue[],
  options: { listed?: number; cause?: unknown } = {},
): IntegrationError {
  const max = options.listed ?? 5;
  const listed = issues.slice(0, max).map((issue) => `${issue.field}: ${issue.message}`);
  if (issues.length > max) listed.push(`and ${issues.length - max} more`);
  return new IntegrationError(code, `Invalid ${what}: ${listed.join('; ')}`, {
    field: issues[0]?.field ?? '(root)',
    issues,
    retryable: false,
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}

/** The option keys an IntegrationError keeps, in its constructor's order. */
export const ERROR_OPTION_KEYS = [
  'status',
  'retryable',
  'retryAfterMs',
  'requestId',
  'field',
  'issues',
  'attempts',
  'method',
  'path',
  'cause',
] as const satisfies readonly (keyof IntegrationErrorOptions)[];

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && KNOWN_CODES.has(value);

// `key` of a caller's value, or undefined when it is not an object or the read throws (a getter, a Proxy trap).
function readKey(value: unknown, key: PropertyKey): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    return (value as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

function readKeys<K extends string>(value: unknown, keys: readonly K[]): Partial<Record<K, unknown>> {
  const out: Partial<Record<K, unknown>> = {};
  for (const key of keys) {
    const read = readKey(value, key);
    if (read !== undefined) out[key] = read;
  }
  return out;
}

// A message is text: a Symbol, an object without a prototype or one whose toString throws becomes a fixed
// text rather than a TypeError thrown while reporting another error.
function messageText(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message === undefined) return '';
  try {
    return String(message);
  } catch {
    return '(the message could not be converted to text)';
  }
}

const isText = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isDuration = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

function readErrorOptions(options: unknown): IntegrationErrorOptions {
  const raw = readKeys(options, ERROR_OPTION_KEYS);
  const checked: IntegrationErrorOptions = {};
  if (isCount(raw.status)) checked.status = raw.status;
  if (typeof raw.retryable === 'boolean') checked.retryable = raw.retryable;
  if (isDuration(raw.retryAfterMs)) checked.retryAfterMs = raw.retryAfterMs;
  if (isText(raw.requestId)) checked.requestId = raw.requestId;
  if (isText(raw.field)) checked.field = raw.field;
  const issues = readIssues(raw.issues);
  if (issues !== undefined) checked.issues = issues;
  if (isCount(raw.attempts)) checked.attempts = raw.attempts;
  if (isText(raw.method)) checked.method = raw.method;
  if (isText(raw.path)) checked.path = raw.path;
  if (raw.cause !== undefined) checked.cause = raw.cause;
  return checked;
}

// A plain copy of the issues, each `{ field, message }` as text, so the error serializes whatever was passed.
function readIssues(value: unknown): FieldIssue[] | undefined {
  let length: unknown;
  try {
    if (!Array.isArray(value)) return undefined;
    length = value.length;
  } catch {
    return undefined;
  }
  if (!isCount(length)) return undefined;
  const issues: FieldIssue[] = [];
  for (let index = 0; index < length; index++) {
    const issue = readKey(value, index);
    const field = readKey(issue, 'field');
    const message = readKey(issue, 'message');
    if (isText(field) && isText(message)) issues.push({ field, message });
  }
  return issues;
}

// The name and message of an Error cause, read without letting a getter or Proxy of it throw.
function causeSummary(cause: unknown): { name: string; message: string } | undefined {
  let isError = false;
  try {
    isError = cause instanceof Error;
  } catch {
    return undefined;
  }
  if (!isError) return undefined;
  const name = readKey(cause, 'name');
  const message = readKey(cause, 'message');
  return { name: isText(name) ? name : 'Error', message: isText(message) ? message : '' };
}
