import * as z from 'zod/mini';

// The responses of the typed kinds, after PostHog/posthog `posthog/schema.py` (`HogQLQueryResponse`,
// `EventsQueryResponse`, `TrendsQueryResponse`). Loose objects: PostHog adds fields (timings, modifiers, cache
// keys) freely, and they are kept. What the client reads is checked; a body without it is INVALID_RESPONSE.

const row = z.array(z.unknown());
const optionalCount = z.optional(z.nullable(z.number()));

/** A HogQL query's answer: rows as arrays in `columns` order. */
export const hogQLQueryResponseSchema = z.looseObject({
  results: z.array(row),
  columns: z.optional(z.nullable(z.array(z.string()))),
  types: z.optional(z.nullable(z.array(z.unknown()))),
  hasMore: z.optional(z.nullable(z.boolean())),
  limit: optionalCount,
  offset: optionalCount,
  hogql: z.optional(z.nullable(z.string())),
});

/** An events query's answer: rows as arrays in `select` order. */
export const eventsQueryResponseSchema = z.looseObject({
  results: z.array(row),
  columns: z.array(z.string()),
  types: z.optional(z.nullable(z.array(z.unknown()))),
  hasMore: z.optional(z.nullable(z.boolean())),
  limit: optionalCount,
  offset: optionalCount,
  hogql: z.optional(z.nullable(z.string())),
});

/** One series of a trend: a value per interval (`data`, labelled by `labels` and `days`) and its total. */
export const trendsSeriesSchema = z.looseObject({
  data: z.optional(z.array(z.nullable(z.number()))),
  labels: z.optional(z.array(z.string())),
  days: z.optional(z.array(z.string())),
  count: optionalCount,
  aggregated_value: optionalCount,
  label: z.optional(z.nullable(z.string())),
  breakdown_value: z.optional(z.unknown()),
  action: z.optional(z.unknown()),
});

/** A trends query's answer: one entry per series (and breakdown value). */
export const trendsQueryResponseSchema = z.looseObject({
  results: z.array(trendsSeriesSchema),
  hasMore: z.optional(z.nullable(z.boolean())),
});

/** The answer of a kind the client does not type: whatever PostHog sent, `results` included. */
export const looseQueryResponseSchema = z.looseObject({ results: z.optional(z.unknown()) });

/** A HogQL query's answer. */
export type HogQLQueryResponse = z.output<typeof hogQLQueryResponseSchema>;
/** An events query's answer. */
export type EventsQueryResponse = z.output<typeof eventsQueryResponseSchema>;
/** One series of a trends query's answer. */
export type TrendsSeries = z.output<typeof trendsSeriesSchema>;
/** A trends query's answer. */
export type TrendsQueryResponse = z.output<typeof trendsQueryResponseSchema>;
/** The answer of any other kind. */
export type PostHogQueryResponse = z.output<typeof looseQueryResponseSchema>;

/** The response schema of a query kind: the typed ones by name, the loose one for the rest. */
export function responseSchemaOf(kind: string): z.ZodMiniType {
  switch (kind) {
    case 'HogQLQuery':
      return hogQLQueryResponseSchema;
    case 'EventsQuery':
      return eventsQueryResponseSchema;
    case 'TrendsQuery':
      return trendsQueryResponseSchema;
    default:
      return looseQueryResponseSchema;
  }
}

/** The response type of a query node's kind. */
export type QueryResponseOf<N> = N extends { kind: 'HogQLQuery' }
  ? HogQLQueryResponse
  : N extends { kind: 'TrendsQuery' }
    ? TrendsQueryResponse
    : N extends { kind: 'EventsQuery' }
      ? EventsQueryResponse
      : PostHogQueryResponse;
