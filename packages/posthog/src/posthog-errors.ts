import { type ErrorMapper, type ErrorMapping, IntegrationError } from '@patchbay/core';
import * as z from 'zod/mini';

// PostHog's app API answers errors through drf-exceptions-hog as `{ type, code, detail, attr }`
// (PostHog/posthog `posthog/exceptions.py`, `generate_exception_response`): `type` is `validation_error`,
// `authentication_error`, `throttled_error`…, `attr` the offending field. A status poll of a failed async query
// answers `{ query_status: { error: true, error_message } }` instead, 400 when PostHog has a message for the
// user and 500 when it has none (`posthog/api/query.py`, `QueryViewSet.retrieve`). Read loosely: a proxy or an
// older server may send anything, and a field of another type is simply not used.
const postHogErrorBody = z.looseObject({
  detail: z.optional(z.unknown()),
  attr: z.optional(z.unknown()),
  query_status: z.optional(z.unknown()),
});

const failedStatus = z.looseObject({
  error: z.literal(true),
  error_message: z.optional(z.unknown()),
});

// DRF's `Throttled` detail: "Request was throttled. Expected available in 12 seconds." (`rest_framework/exceptions.py`).
const EXPECTED_AVAILABLE = /expected available in (\d+(?:\.\d+)?) seconds?/i;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/**
 * PostHog's error body read into the typed error (the HTTP client's `mapError`): `attr` as the field, a failed
 * query's `error_message` as the message (not worth retrying: the same query fails the same way), a 402 (a
 * feature outside the plan) as final, and a 429's "Expected available in N seconds" as the wait.
 * @example createHttpClient({ baseUrl, auth, mapError: mapPostHogError })
 */
export const mapPostHogError: ErrorMapper = ({ status, body }) => {
  const parsed = postHogErrorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { detail, attr, query_status: queryStatus } = parsed.data;
  const mapping: ErrorMapping = {};
  const field = text(attr);
  const message = text(detail);
  if (field !== undefined) {
    mapping.field = field;
    mapping.issues = [{ field, message: message ?? 'is invalid' }];
  }
  const failed = failedStatus.safeParse(queryStatus);
  if (failed.success) {
    const failure = queryFailure(failed.data.error_message, status);
    mapping.code = failure.code;
    mapping.message = failure.message;
    mapping.retryable = false;
  }
  // Paying for the feature is the only cure: retrying burns calls.
  if (status === 402) mapping.retryable = false;
  const seconds = message === undefined ? undefined : EXPECTED_AVAILABLE.exec(message)?.[1];
  if (status === 429 && seconds !== undefined) mapping.retryAfterMs = Math.ceil(Number(seconds) * 1000);
  return Object.keys(mapping).length > 0 ? mapping : undefined;
};

/**
 * The code and message of a query PostHog reports as failed: its `error_message` is the user's to act on
 * (`VALIDATION_ERROR`), a failure without one is PostHog's own (`SERVER_ERROR`), as the status poll's 400 and 500
 * say.
 */
export function queryFailure(
  errorMessage: unknown,
  status?: number,
): { code: 'VALIDATION_ERROR' | 'SERVER_ERROR'; message: string } {
  const message = text(errorMessage);
  if (message !== undefined && status !== 500) return { code: 'VALIDATION_ERROR', message };
  return { code: 'SERVER_ERROR', message: message ?? 'The query failed on PostHog without a message' };
}

/**
 * The typed error for a query whose status (in a 2xx body) says it failed: PostHog's own message, never retried.
 * @example if (status.error) return err(failedQueryError(status.error_message, { path }));
 */
export function failedQueryError(
  errorMessage: unknown,
  context: { status?: number; method?: string; path?: string } = {},
): IntegrationError {
  const { code, message } = queryFailure(errorMessage, context.status);
  return new IntegrationError(code, `PostHog query failed: ${message}`, {
    retryable: false,
    ...(context.status === undefined ? {} : { status: context.status }),
    ...(context.method === undefined ? {} : { method: context.method }),
    ...(context.path === undefined ? {} : { path: context.path }),
  });
}
