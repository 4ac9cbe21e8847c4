// The summary table the connector benchmarks open their section with: a row per measure, a cell per client in a
// fixed order ("—" for one the run left out), then the target and whether our client met it.
import { met } from './format.ts';

/** A summary table being filled, with the run's clients looked up once for the rows and the prose. */
export interface ComparisonTable<Name extends string, Measure> {
  /** Each measured client's figures, by name. */
  by: Map<Name, Measure>;
  /** The measured clients, in table order. */
  clients: Name[];
  /** Our client's figures, if the run measured it. */
  ours: Measure | undefined;
  /** Adds a row of the cells given, one per client in table order. */
  row(measure: string, cells: readonly string[], target?: string, ok?: boolean): void;
  /** `cell` of each client in table order, "—" for one not measured: the cells of a row. */
  cells(cell: (m: Measure) => string): string[];
  /** The rows added so far, one a line, under the header the section writes. */
  markdown(): string;
}

/** A summary table of `measures`, columns in `order`, `ours` the client the targets and verdicts are about. */
export function comparisonTable<Name extends string, Measure extends { name: Name }>(
  order: readonly Name[],
  measures: readonly Measure[],
  ours: Name,
): ComparisonTable<Name, Measure> {
  const by = new Map(measures.map((m) => [m.name, m]));
  const rows: string[] = [];
  return {
    by,
    clients: order.filter((name) => by.has(name)),
    ours: by.get(ours),
    row: (measure, cells, target = '—', ok) => {
      rows.push(`| ${measure} | ${cells.join(' | ')} | ${target} | ${ok === undefined ? '—' : met(ok)} |`);
    },
    cells: (cell) =>
      order.map((name) => {
        const m = by.get(name);
        return m ? cell(m) : '—';
      }),
    markdown: () => rows.join('\n'),
  };
}
