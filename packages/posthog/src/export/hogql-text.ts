// Reading HogQL text without parsing it: what is quoted ('…' strings, "…" and `…` identifiers, with backslash
// and doubled-quote escapes) or commented out may hold any word without it being a clause or a call.
const QUOTED_OR_COMMENT =
  /'(?:[^'\\]|\\[\s\S]|'')*'|"(?:[^"\\]|\\[\s\S]|"")*"|`(?:[^`\\]|\\[\s\S]|``)*`|--[^\n]*|\/\*[\s\S]*?\*\//g;

/** `hogql` with every quoted text and comment replaced by a space, for keyword tests that quotes cannot fool. */
export function withoutQuotedText(hogql: string): string {
  return hogql.replace(QUOTED_OR_COMMENT, ' ');
}

// The aggregate functions of ClickHouse and HogQL that EventsQuery groups by (`has_aggregation` in PostHog's
// `posthog/hogql/property.py`), with their -If/-State/-Merge combinators.
const AGGREGATE_CALL =
  /\b(?:count|countDistinct|sum|avg|min|max|any|anyLast|argMin|argMax|uniq\w*|quantiles?\w*|median\w*|groupArray\w*|groupUniqArray\w*|topK\w*|stddev\w*|var\w*|corr|covar\w*)(?:If|State|Merge|OrNull|Distinct)*\s*\(/i;

/** True when a HogQL expression calls an aggregate function (`count()`, `uniq(person_id)`, `sumIf(…)`). */
export function callsAggregate(expression: string): boolean {
  return AGGREGATE_CALL.test(withoutQuotedText(expression));
}
