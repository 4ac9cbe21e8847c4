/** Every error code a Patchbay client can return. */
export const ERROR_CODES = [
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
] as const;

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
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    // Only own the keys that are set, so toJSON and inspect stay small.
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.requestId !== undefined) this.requestId = options.requestId;
    if (options.field !== undefined) this.field = options.field;
    if (options.issues !== undefined) this.issues = options.issues;
    if (options.attempts !== undefined) this.attempts = options.attempts;
    if (options.method !== undefined) this.method = options.method;
    if (options.path !== undefined) this.path = options.path;
  }

  toJSON(): Record<string, unknown> {
    const cause =
      this.cause instanceof Error ? { name: this.cause.name, message: this.cause.message } : undefined;
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

/** True when `value` is an IntegrationError (also across bundle copies of this package). */
export function isIntegrationError(value: unknown): value is IntegrationError {
  return (
    value instanceof IntegrationError ||
    (value instanceof Error &&
      value.name === 'IntegrationError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}

/**
 * A copy of `error` with some fields changed; errors are immutable.
 * @example reviseError(error, { code: 'CONFLICT', retryable: false })
 */
export function reviseError(
  error: IntegrationError,
  changes: IntegrationErrorOptions & { code?: ErrorCode; message?: string },
): IntegrationError {
  return new IntegrationError(changes.code ?? error.code, changes.message ?? error.message, {
    status: error.status,
    retryable: changes.code && changes.retryable === undefined ? undefined : error.retryable,
    retryAfterMs: error.retryAfterMs,
    requestId: error.requestId,
    field: error.field,
    issues: error.issues,
    attempts: error.attempts,
    method: error.method,
    path: error.path,
    cause: error.cause,
    ...stripUndefined(changes),
  });
}

function stripUndefined(changes: object): IntegrationErrorOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined && key !== 'code' && key !== 'message') out[key] = value;
  }
  return out;
}
