import * as z from 'zod/mini';

/** HubSpot's search limits, checked before a request is sent. */
export const HUBSPOT_SEARCH_LIMITS = {
  /** Filter groups per request (ORed). */
  filterGroups: 5,
  /** Filters in one group (ANDed). */
  filtersPerGroup: 6,
  /** Filters across all groups. */
  filters: 18,
  /** Characters of `query`. */
  queryLength: 3_000,
  /** Results per page. */
  limit: 200,
  /** Results reachable by paging one search (`after` past it is a 400). */
  resultCap: 10_000,
} as const;

/** HubSpot's search filter operators. */
export const HUBSPOT_FILTER_OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;

const scalar = z.union([
  z.string(),
  z.number().check(z.refine(Number.isFinite, 'must be finite')),
  z.boolean(),
]);
const filterSchema = z.object({
  propertyName: z.string().check(z.minLength(1), z.maxLength(500)),
  operator: z.enum(HUBSPOT_FILTER_OPERATORS),
  value: z.optional(scalar),
  highValue: z.optional(scalar),
  values: z.optional(z.array(scalar).check(z.maxLength(1_000))),
});
const sortSchema = z.object({
  propertyName: z.string().check(z.minLength(1), z.maxLength(500)),
  direction: z.optional(z.enum(['ASCENDING', 'DESCENDING'])),
});

/** A search request as the caller writes it (`after` is the iterator's own). */
export const hubspotSearchRequestSchema = z.object({
  filterGroups: z.optional(
    z
      .array(
        z.object({
          filters: z
            .array(filterSchema)
            .check(
              z.maxLength(
                HUBSPOT_SEARCH_LIMITS.filtersPerGroup,
                `at most ${HUBSPOT_SEARCH_LIMITS.filtersPerGroup} filters per group`,
              ),
            ),
        }),
      )
      .check(
        z.maxLength(
          HUBSPOT_SEARCH_LIMITS.filterGroups,
          `at most ${HUBSPOT_SEARCH_LIMITS.filterGroups} filter groups`,
        ),
        z.refine(
          (groups) =>
            groups.reduce((sum, group) => sum + group.filters.length, 0) <= HUBSPOT_SEARCH_LIMITS.filters,
          `at most ${HUBSPOT_SEARCH_LIMITS.filters} filters in all groups`,
        ),
      ),
  ),
  sorts: z.optional(z.array(sortSchema).check(z.maxLength(1, 'HubSpot sorts by one property'))),
  properties: z.optional(
    z.array(z.string().check(z.minLength(1), z.maxLength(500))).check(z.maxLength(1_000)),
  ),
  query: z.optional(
    z
      .string()
      .check(
        z.maxLength(
          HUBSPOT_SEARCH_LIMITS.queryLength,
          `at most ${HUBSPOT_SEARCH_LIMITS.queryLength} characters`,
        ),
      ),
  ),
  limit: z.optional(
    z
      .int()
      .check(z.minimum(1), z.maximum(HUBSPOT_SEARCH_LIMITS.limit, `at most ${HUBSPOT_SEARCH_LIMITS.limit}`)),
  ),
});

/** A search filter (`{ propertyName, operator, value }`; `values` for IN, `highValue` for BETWEEN). */
export type HubSpotFilter = z.input<typeof filterSchema>;
/** A search request: filter groups (ORed) of filters (ANDed), one sort, properties, a free-text query, a page size. */
export type HubSpotSearchRequest = z.input<typeof hubspotSearchRequestSchema>;
