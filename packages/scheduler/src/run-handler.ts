// Runs a caller's handler and says how it went, whatever it does: it may throw, reject, return a failed
// ApiResult, or return something JSON cannot carry. Both backends decide retry or dead letter from this alone.
import { isIntegrationError, type JsonValue, toJsonValue } from '@patchbay/core';
import type { JobContext, JobHandler } from './scheduler.ts';

/** Longest handler result kept in the run log, in characters of JSON. */
export const MAX_RESULT_LENGTH = 16_384;
/** Longest error message kept. */
const MAX_MESSAGE_LENGTH = 1_000;

/** How one run ended. */
export type HandlerOutcome =
  | { ok: true; result: JsonValue | null }
  | { ok: false; error: { code: string; message: string }; retryable: boolean };

/** Runs `handler` once; never throws or rejects. */
export async function runHandler(
  handler: JobHandler<unknown>,
  context: JobContext<unknown>,
): Promise<HandlerOutcome> {
  let value: unknown;
  try {
    value = await handler(context);
  } catch (thrown) {
    return failure(thrown);
  }
  const read = readResult(value);
  if (read.failed) return failure(read.error);
  return { ok: true, result: keepable(read.data) };
}

// An ApiResult (anything with a boolean `success`) is read as one; any other value is the result itself.
function readResult(value: unknown): { failed: false; data: unknown } | { failed: true; error: unknown } {
  try {
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { success?: unknown }).success === 'boolean'
    ) {
      const result = value as { success: boolean; data?: unknown; error?: unknown };
      return result.success ? { failed: false, data: result.data } : { failed: true, error: result.error };
    }
  } catch {
    // A Proxy whose traps throw: kept as no result.
    return { failed: false, data: undefined };
  }
  return { failed: false, data: value };
}

function keepable(value: unknown): JsonValue | null {
  if (value === undefined) return null;
  const json = toJsonValue(value);
  if (!json.success) return null;
  return JSON.stringify(json.data).length <= MAX_RESULT_LENGTH ? json.data : null;
}

/** The code and message kept of a failure: an IntegrationError's own, else `OPERATION_FAILED` with the message. */
export function describeFailure(thrown: unknown): {
  error: { code: string; message: string };
  retryable: boolean;
} {
  if (isIntegrationError(thrown)) {
    return { error: { code: thrown.code, message: clip(thrown.message) }, retryable: thrown.retryable };
  }
  let message = 'the handler failed';
  try {
    if (thrown instanceof Error && typeof thrown.message === 'string' && thrown.message !== '')
      message = thrown.message;
    else if (typeof thrown === 'string' && thrown !== '') message = thrown;
  } catch {
    // A hostile error object: the generic message stands.
  }
  // A plain throw is worth another run: only a typed error says otherwise.
  return { error: { code: 'OPERATION_FAILED', message: clip(message) }, retryable: true };
}

function failure(thrown: unknown): HandlerOutcome {
  return { ok: false, ...describeFailure(thrown) };
}

const clip = (text: string): string =>
  text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
