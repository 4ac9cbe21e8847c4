import { type ErrorCode, IntegrationError, redact } from '@patchbay/core';

// Errors the socket raises: the connection is gone, not the data; ioredis reconnects for the next call.
const CONNECTION_CODES: ReadonlySet<string> = new Set([
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

// Redis's error replies start with a code word (https://redis.io/docs/latest/develop/reference/protocol-spec/).
const SERVER_BUSY: ReadonlySet<string> = new Set([
  'LOADING',
  'BUSY',
  'MASTERDOWN',
  'TRYAGAIN',
  'CLUSTERDOWN',
  'READONLY',
  'OOM',
  'MISCONF',
]);
const SERVER_AUTH: ReadonlySet<string> = new Set(['NOAUTH', 'WRONGPASS', 'NOPERM']);

interface Classified {
  code: ErrorCode;
  retryable?: boolean;
}

function classify(error: unknown): Classified {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : '';
  const code = (error as { code?: unknown } | null)?.code;
  if (name === 'MaxRetriesPerRequestError') return { code: 'NETWORK_ERROR' };
  if (/command timed out/i.test(message)) return { code: 'TIMEOUT' };
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return { code: 'NETWORK_ERROR' };
  if (/^Connection is closed|Stream isn't writeable|Connection lost/i.test(message))
    return { code: 'NETWORK_ERROR' };
  if (name === 'ReplyError') {
    const word = message.split(/\s/, 1)[0] ?? '';
    if (SERVER_AUTH.has(word)) return { code: 'AUTH_ERROR', retryable: false };
    if (SERVER_BUSY.has(word)) return { code: 'SERVER_ERROR', retryable: true };
  }
  return { code: 'OPERATION_FAILED', retryable: false };
}

/**
 * The typed error for anything ioredis threw or Redis answered, the URL's password scrubbed from every string;
 * the cause is a bare copy (ioredis's errors hold the command and its arguments).
 * @example throw toRedisError(error, 'rateLimit.take', secrets);
 */
export function toRedisError(
  error: unknown,
  operation: string,
  secrets: readonly string[],
): IntegrationError {
  const classified = classify(error);
  const reason = error instanceof Error ? error.message || error.name : String(error);
  const message = redact(`Redis ${operation} failed: ${reason}`, { secrets });
  const cause = new Error(redact(reason, { secrets }));
  cause.name = error instanceof Error ? error.name : 'Error';
  return new IntegrationError(classified.code, message, {
    cause,
    ...(classified.retryable === undefined ? {} : { retryable: classified.retryable }),
  });
}

/** The error of a call made after `close()`. */
export const closedError = (operation: string): IntegrationError =>
  new IntegrationError('OPERATION_FAILED', `Redis ${operation} failed: the store is closed`, {
    retryable: false,
  });
