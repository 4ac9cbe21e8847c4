// The detail tables the connector benchmarks share: requests by kind per client (each with its 429s), and every
// route as the emulator counted it.
import type { KindCount, RouteCounts } from './counters.ts';
import { fmt } from './format.ts';

/** Rows `| kind | client A | client B |`, one per kind then the total, a cell `requests (n × 429)`. */
export function kindRows<Kind extends string>(
  kinds: readonly Kind[],
  labels: Record<Kind, string>,
  columns: readonly Record<Kind | 'total', KindCount>[],
): string[] {
  return [...kinds, 'total' as const].map((kind) => {
    const cells = columns.map((counts) => {
      const count = counts[kind];
      return `${fmt(count.requests)}${count.rateLimited ? ` (${fmt(count.rateLimited)} × 429)` : ''}`;
    });
    return `| ${kind === 'total' ? '**total**' : labels[kind as Kind]} | ${cells.join(' | ')} |`;
  });
}

/** Rows `| client | run | \`route\` | n × status, … |`, routes in order, for one client's run. */
export function routeRows(client: string, run: string, byRoute: RouteCounts): string[] {
  return Object.entries(byRoute)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([route, count]) =>
        `| ${client} | ${run} | \`${route}\` | ${Object.entries(count.byOutcome)
          .map(([outcome, n]) => `${fmt(n)} × ${outcome}`)
          .join(', ')} |`,
    );
}
