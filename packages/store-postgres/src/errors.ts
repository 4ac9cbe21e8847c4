import { type ErrorCode, IntegrationError, redact } from '@patchbay/core';

// Errors the driver raises about the connection itself (not the query): the next call gets a fresh one.
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
]);

interface Classified {
  code: ErrorCode;
  retryable?: boolean;
}

// SQLSTATE classes and codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
function classifySqlState(state: string): Classified {
  if (state === '3D000') return { code: 'CONFIG_ERROR', retryable: false }; // database does not exist
  if (state.startsWith('28')) return { code: 'AUTH_ERROR', retryable: false };
  if (state === '42501') return { code: 'AUTH_ERROR', retryable: false }; // insufficient privilege
  if (state.startsWith('08')) return { code: 'NETWORK_ERROR' };
  // Admin or crash shutdown, pg_terminate_backend, server starting up: the connection is gone, not the data.
  if (state === '57P01' || state === '57P02' || state === '57P03') return { code: 'NETWORK_ERROR' };
  if (state === '57014') return { code: 'TIMEOUT' }; // statement timeout or cancel
  if (state === '40001' || state === '40P01') return { code: 'CONFLICT', retryable: true };
  if (state === '23505') return { code: 'CONFLICT', retryable: false };
  if (state.startsWith('23') || state.startsWith('22')) return { code: 'VALIDATION_ERROR' };
  if (state.startsWith('53') || state.startsWith('58') || state === 'XX000')
    return { code: 'SERVER_ERROR', retryable: true };
  return { code: 'OPERATION_FAILED', retryable: false };
}

function classify(code: string | undefined, isServerError: boolean): Classified {
  if (code === undefined) return { code: 'OPERATION_FAILED', retryable: false };
  if (isServerError) return classifySqlState(code);
  if (CONNECTION_CODES.has(code)) return { code: 'NETWORK_ERROR' };
  if (code === 'CONNECT_TIMEOUT') return { code: 'TIMEOUT' };
  if (code === 'CONNECTION_ENDED') return { code: 'OPERATION_FAILED', retryable: false };
  if (code.startsWith('SASL') || code === 'AUTH_TYPE_NOT_IMPLEMENTED')
    return { code: 'AUTH_ERROR', retryable: false };
  return { code: 'OPERATION_FAILED', retryable: false };
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function reasonOf(error: unknown, code: string | undefined): string {
  if (!(error instanceof Error)) return String(error);
  if (code === 'CONNECTION_ENDED') return 'the store is closed';
  // Node's happy-eyeballs connect raises an AggregateError with an empty message.
  return error.message || code || error.name;
}

/**
 * The typed error for anything the driver threw, with the connection's password scrubbed from every
 * string; the cause is a bare copy (the driver's errors hold the query, its parameters and the socket).
 */
export function toStoreError(
  error: unknown,
  operation: string,
  secrets: readonly string[],
): IntegrationError {
  const code = codeOf(error);
  const isServerError = error instanceof Error && error.name === 'PostgresError';
  const classified = classify(code, isServerError);
  const sqlState = isServerError && code ? ` (SQLSTATE ${code})` : '';
  const detail = code === 'CONNECTION_ENDED' ? '' : sqlState;
  const message = redact(`PostgreSQL ${operation} failed: ${reasonOf(error, code)}${detail}`, { secrets });
  const cause = new Error(redact(error instanceof Error ? error.message : String(error), { secrets }));
  cause.name = error instanceof Error ? error.name : 'Error';
  if (code) (cause as Error & { code: string }).code = code;
  cause.stack = `${cause.name}: ${cause.message}`;
  return new IntegrationError(classified.code, message, { retryable: classified.retryable, cause });
}
