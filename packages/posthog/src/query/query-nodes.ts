import {
  type ApiResult,
  err,
  invalidInput,
  type JsonValue,
  ok,
  toJsonValue,
  validateSchema,
} from '@patchbay/core';
import * as z from 'zod/mini';

// The query kinds the client types, after PostHog/posthog `posthog/schema.py` (`HogQLQuery`, `TrendsQuery`,
// `EventsQuery`, `EventsNode`, `DateRange`, `BreakdownFilter`). Only what a request needs to be right is
// checked; every other field PostHog knows (modifiers, filters, trendsFilter…) passes through as given, so the
// schemas do not go stale when PostHog adds one.

const nonEmpty = z.string().check(z.minLength(1, 'must not be empty'));
const propertyFilters = z.array(z.looseObject({}), { error: 'must be an array of property filters' });

/** A HogQL query: SQL with `{name}` placeholders filled from `values` by PostHog, never by string building. */
export const hogQLQuerySchema = z.looseObject({
  kind: z.literal('HogQLQuery'),
  query: nonEmpty,
  values: z.optional(z.record(z.string(), z.unknown())),
  name: z.optional(z.string()),
});

/** A query's date range: PostHog's relative (`-7d`, `-1mStart`) or absolute (`2026-01-01`) bounds. */
export const dateRangeSchema = z.looseObject({
  date_from: z.optional(z.nullable(z.string())),
  date_to: z.optional(z.nullable(z.string())),
  explicitDate: z.optional(z.nullable(z.boolean())),
});

/** The intervals a trend is bucketed by. */
export const TRENDS_INTERVALS = ['second', 'minute', 'hour', 'day', 'week', 'month'] as const;

/** One series of a trend: an event (`EventsNode`, `event: null` for all events), an action or a warehouse table. */
export const seriesNodeSchema = z.looseObject({
  kind: z.enum(['EventsNode', 'ActionsNode', 'DataWarehouseNode']),
  event: z.optional(z.nullable(z.string())),
  id: z.optional(z.union([z.number(), z.string()])),
  name: z.optional(z.nullable(z.string())),
  custom_name: z.optional(z.nullable(z.string())),
  math: z.optional(z.nullable(z.string())),
  properties: z.optional(z.nullable(propertyFilters)),
});

const breakdownValue = z.union([z.string(), z.number()]);

/** How a trend is broken down: by an event property (`breakdown_type: 'event'`), a person property… */
export const breakdownFilterSchema = z.looseObject({
  breakdown: z.optional(z.nullable(z.union([breakdownValue, z.array(breakdownValue)]))),
  breakdown_type: z.optional(z.nullable(z.string())),
  breakdown_limit: z.optional(z.nullable(z.int().check(z.positive()))),
});

/** A trends query (what replaced `/insights/trend/`, which answers 404 since September 2026). */
export const trendsQuerySchema = z.looseObject({
  kind: z.literal('TrendsQuery'),
  series: z.array(seriesNodeSchema).check(z.minLength(1, 'must hold at least one series')),
  dateRange: z.optional(z.nullable(dateRangeSchema)),
  interval: z.optional(z.nullable(z.enum(TRENDS_INTERVALS))),
  breakdownFilter: z.optional(z.nullable(breakdownFilterSchema)),
  properties: z.optional(z.nullable(z.unknown())),
  filterTestAccounts: z.optional(z.nullable(z.boolean())),
  trendsFilter: z.optional(z.nullable(z.looseObject({}))),
});

/** An events query: the `select` columns of events; covers only the last 24 h unless `after` is given. */
export const eventsQuerySchema = z.looseObject({
  kind: z.literal('EventsQuery'),
  select: z.array(nonEmpty).check(z.minLength(1, 'must name at least one column')),
  where: z.optional(z.nullable(z.array(z.string()))),
  event: z.optional(z.nullable(z.string())),
  properties: z.optional(z.nullable(propertyFilters)),
  after: z.optional(z.nullable(z.string())),
  before: z.optional(z.nullable(z.string())),
  orderBy: z.optional(z.nullable(z.array(z.string()))),
  limit: z.optional(z.nullable(z.int().check(z.positive()))),
  offset: z.optional(z.nullable(z.int().check(z.minimum(0)))),
});

/** Any query node PostHog knows: a `kind` and its fields, passed through as they are. */
export const queryNodeSchema = z.looseObject({
  kind: z.string().check(z.regex(/^[A-Z][A-Za-z0-9]{0,99}$/, 'must be a query kind such as HogQLQuery')),
});

/** A HogQL query node. */
export type HogQLQuery = z.input<typeof hogQLQuerySchema>;
/** A trends query node. */
export type TrendsQuery = z.input<typeof trendsQuerySchema>;
/** An events query node. */
export type EventsQuery = z.input<typeof eventsQuerySchema>;
/** A query node of any kind (`FunnelsQuery`, `RetentionQuery`…), sent as given. */
export type PostHogQueryNode = z.input<typeof queryNodeSchema>;

const NODE_SCHEMAS: Readonly<Record<string, z.ZodMiniType>> = {
  HogQLQuery: hogQLQuerySchema,
  TrendsQuery: trendsQuerySchema,
  EventsQuery: eventsQuerySchema,
};

// An input with thousands of bad entries still gives a bounded error.
const MAX_ISSUES = 100;

/**
 * A caller's query node read once into plain JSON and checked (the typed kinds by their schema, any other by
 * its `kind`): what is sent is that copy. A `VALIDATION_ERROR` names the field (`query.series.0.kind`).
 * @example const node = await checkQueryNode({ kind: 'HogQLQuery', query: 'select 1' }); if (!node.success) return node;
 */
export async function checkQueryNode(
  node: unknown,
  field = 'query',
): Promise<ApiResult<{ kind: string; node: { [key: string]: JsonValue } }>> {
  const copy = toJsonValue(node, { field });
  if (!copy.success) return copy;
  const value = copy.data;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return err(invalidInput(field, 'must be a query node: an object with a kind'));
  }
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  const schema = (kind !== undefined && NODE_SCHEMAS[kind]) || queryNodeSchema;
  const checked = await validateSchema(schema, value);
  if (!checked.success) {
    const issues = checked.issues.slice(0, MAX_ISSUES).map((issue) => ({
      field: issue.field === '(root)' ? field : `${field}.${issue.field}`,
      message: issue.message,
    }));
    return err(invalidInput(issues[0]?.field ?? field, issues[0]?.message ?? 'is invalid', issues));
  }
  return ok({ kind: kind ?? '', node: value });
}
