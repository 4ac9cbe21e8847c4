// The collector's CSV (export-child.ts's anchor): RFC 4180 as most code writes it by hand, every row joined into one
// text. The same bytes as exportQuery's CSV for cells no spreadsheet would read as a formula, so the two files
// compare; exportQuery also prefixes formula cells with `'`, which this does not.

/** A cell: text as it is, other values as JSON, null and undefined empty; quoted when it holds `"`, `,` or a line break. */
export function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole file: a header, then a line per row, each ended by CRLF. */
export function csvText(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
