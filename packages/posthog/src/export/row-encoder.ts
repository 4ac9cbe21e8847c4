import { uniqueColumnNames } from './column-names.ts';
import { csvRecord } from './csv.ts';
import type { ExportFormat } from './export-format.ts';
import { jsonKeyPrefixes, jsonRow } from './json-rows.ts';

/** Writes rows of one format as text: what comes before the first row, each row, and what ends the output. */
export interface RowEncoder {
  /** The text before any row (CSV's header record, JSON's `[`), given the export's columns. */
  begin(columns: readonly string[]): string;
  /** One row's text; throws when a cell cannot be written (a cycle). */
  row(cells: readonly unknown[]): string;
  /** The text after the last row (JSON's `]`). */
  end(): string;
}

/** Options of {@link createRowEncoder}. */
export interface RowEncoderOptions {
  format: ExportFormat;
  /** CSV only: see `CsvOptions.escapeFormulas`. */
  escapeFormulas: boolean;
}

/**
 * A row encoder for `format`: CSV with a header record and CRLF line ends, JSON as one array of row objects
 * (`[`, rows one a line separated by commas, `]`), NDJSON as one row object a line.
 * @example const encoder = createRowEncoder({ format: 'csv', escapeFormulas: true }); encoder.begin(['event']);
 */
export function createRowEncoder(options: RowEncoderOptions): RowEncoder {
  const { format } = options;
  const csv = { escapeFormulas: options.escapeFormulas };
  let prefixes: string[] = [];
  let rows = 0;
  return {
    begin(columns) {
      const names = uniqueColumnNames(columns);
      prefixes = jsonKeyPrefixes(names);
      if (format === 'json') return '[';
      if (format === 'ndjson' || names.length === 0) return '';
      return csvRecord(names, csv);
    },
    row(cells) {
      if (format === 'csv')
        return csvRecord(cells.length > prefixes.length ? cells.slice(0, prefixes.length) : cells, csv);
      const text = jsonRow(prefixes, cells);
      rows += 1;
      if (format === 'ndjson') return `${text}\n`;
      return rows === 1 ? `\n${text}` : `,\n${text}`;
    },
    end() {
      if (format !== 'json') return '';
      return rows === 0 ? ']\n' : '\n]\n';
    },
  };
}
