import type { ErrorMapper, ErrorMapping } from '@patchbay/core';
import * as z from 'zod/mini';

// Twenty's REST exception filter answers every error as `{ statusCode, error, messages: [message] }`
// (twenty-server `engine/api/rest/rest-api-exception.filter.ts`); its rate limiter's 429 adds
// `error: 'RATE_LIMITED'` and `retryAfterSeconds` (`usage-limit-to-rest-api-exception-handler.util.ts`). Read
// loosely: a proxy or an older server may send anything, and a field of another type is simply not used.
const twentyErrorBody = z.looseObject({
  error: z.optional(z.unknown()),
  messages: z.optional(z.array(z.unknown())),
  retryAfterSeconds: z.optional(z.unknown()),
});

// Twenty reports a unique-constraint violation as a 400 ("A duplicate entry was detected…",
// "Duplicate Email. Please set a unique one.", "Record already exists"); callers need to tell it apart
// from bad input, so it becomes CONFLICT; so does an upsert matching two different records on its unique
// fields ("Multiple records found with the same unique field values…").
const DUPLICATE = /duplicate|already exists|multiple records found with the same unique/i;

/**
 * Twenty's error body read into the typed error (the HTTP client's `mapError`): its `messages` as the message,
 * a unique violation (400) as `CONFLICT`, an exhausted workspace quota (402, no rate-limit headers) as a final
 * `RATE_LIMIT`, and a 429's `retryAfterSeconds` as the wait.
 * @example createHttpClient({ baseUrl, auth, mapError: mapTwentyError })
 */
export const mapTwentyError: ErrorMapper = ({ status, body }) => {
  const parsed = twentyErrorBody.safeParse(body);
  const fields = parsed.success ? parsed.data : {};
  const texts = (fields.messages ?? []).filter(
    (text): text is string => typeof text === 'string' && text.trim() !== '',
  );
  const mapping: ErrorMapping = {};
  if (texts.length > 0) mapping.message = texts.join('; ');
  if (status === 400 && texts.some((text) => DUPLICATE.test(text))) mapping.code = 'CONFLICT';
  // A quota that is spent stays spent until the plan changes or the period ends: retrying only burns calls.
  if (status === 402) {
    mapping.code = 'RATE_LIMIT';
    mapping.retryable = false;
  }
  const seconds = fields.retryAfterSeconds;
  if (status === 429 && typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) {
    mapping.retryAfterMs = Math.ceil(seconds * 1000);
  }
  return Object.keys(mapping).length > 0 ? mapping : undefined;
};
