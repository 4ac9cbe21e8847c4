// The driver's own array encoding needs `fetch_types`, whose start-up query can end in an unhandled
// rejection when a connection dies during it (porsager/postgres#1192, #1205): we turn that off and pass
// arrays as literals in text parameters, cast in SQL (`${literal}::text[]`).

/** A PostgreSQL array literal of text values (`NULL` for null), every element quoted and escaped. */
export function textArrayLiteral(values: readonly (string | null)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    parts[i] = value === null || value === undefined ? 'NULL' : `"${value.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `{${parts.join(',')}}`;
}

/** A PostgreSQL array literal of numbers, for `::float8[]` (JavaScript's `Infinity` and `NaN` spell the same). */
export function numberArrayLiteral(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}
