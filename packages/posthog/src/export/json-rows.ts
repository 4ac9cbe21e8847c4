// Row objects written by hand rather than built and passed to JSON.stringify: a column called `__proto__` stays a
// key (assigning it on an object would set the prototype instead), and no object is built per row.

/** The `"name":` prefix of each column, written once per export. */
export function jsonKeyPrefixes(columns: readonly string[]): string[] {
  return columns.map((column) => `${JSON.stringify(column)}:`);
}

/**
 * One row as a JSON object text, column → cell (a missing cell, `undefined`, a function or a symbol is `null`).
 * Throws when a cell cannot be written as JSON (a cycle, a bigint).
 */
export function jsonRow(prefixes: readonly string[], cells: readonly unknown[]): string {
  let text = '{';
  for (let index = 0; index < prefixes.length; index++) {
    if (index > 0) text += ',';
    const cell = cells[index];
    text += prefixes[index] + (cell === undefined ? 'null' : (JSON.stringify(cell) ?? 'null'));
  }
  return `${text}}`;
}
