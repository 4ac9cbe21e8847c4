import * as z from 'zod/mini';

// PostHog/posthog `posthog/schema.py` `QueryStatus`: only `id` is required; `complete` and `error` default to
// false, and a finished async query carries its whole response in `results`. Loose: PostHog adds fields
// (timings, progress, labels) freely.
/** The status of an asynchronous query, as the 202 of a POST and every status poll carry it. */
export const queryStatusSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  complete: z.optional(z.nullable(z.boolean())),
  error: z.optional(z.nullable(z.boolean())),
  error_message: z.optional(z.nullable(z.string())),
  results: z.optional(z.unknown()),
});

/** An asynchronous query's status. */
export type QueryStatus = z.output<typeof queryStatusSchema>;

/**
 * A query response's envelope, read before its kind's schema: a `query_status` that is not complete means the
 * query runs on and is to be polled (PostHog answers it with 202; a 200 carrying one is read the same way).
 */
export const queryEnvelopeSchema = z.looseObject({
  query_status: z.optional(z.nullable(queryStatusSchema)),
});

/** `GET /api/projects/{id}/query/{query_id}/`'s body (`QueryStatusResponse`). */
export const queryStatusResponseSchema = z.looseObject({ query_status: queryStatusSchema });
