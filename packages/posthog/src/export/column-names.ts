/**
 * The columns of an export, each name unique: a repeated name (`count()` selected twice) gets `_2`, `_3`…, so
 * that a row object keeps every cell and a CSV header names each column once.
 * @example uniqueColumnNames(['event', 'count()', 'count()']) // ['event', 'count()', 'count()_2']
 */
export function uniqueColumnNames(columns: readonly string[]): string[] {
  const taken = new Set<string>();
  return columns.map((column) => {
    let name = column;
    for (let suffix = 2; taken.has(name); suffix++) name = `${column}_${suffix}`;
    taken.add(name);
    return name;
  });
}
