import type { ResolvedRange } from './report-range.ts';

/** The query kinds a report's range applies to. */
export const RANGED_KINDS = ['HogQLQuery', 'EventsQuery', 'TrendsQuery'] as const;

type Node = { kind: string; [key: string]: unknown };

/**
 * `node` with `range` applied, as each kind takes dates: a HogQL query gets `values.from` and `values.to` (write
 * `timestamp >= toDateTime({from}) AND timestamp < toDateTime({to})`), an events query `after` and `before`, a
 * trend `dateRange: { date_from, date_to, explicitDate: true }` (the instants as given, not rounded to the
 * interval). What the node had under those names is replaced; other kinds are returned as they are.
 */
export function applyRange(node: Node, range: ResolvedRange): Node {
  const { from, to } = range;
  switch (node.kind) {
    case 'HogQLQuery':
      return { ...node, values: { ...objectOrEmpty(node.values), from, to } };
    case 'EventsQuery':
      return { ...node, after: from, before: to };
    case 'TrendsQuery':
      return {
        ...node,
        dateRange: { ...objectOrEmpty(node.dateRange), date_from: from, date_to: to, explicitDate: true },
      };
    default:
      return node;
  }
}

const objectOrEmpty = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
