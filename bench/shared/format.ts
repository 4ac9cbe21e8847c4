// How the benchmarks' tables print numbers and verdicts.

/** `met` / `not met`. */
export const met = (ok: boolean) => (ok ? 'met' : 'not met');

/** Numbers as the tables print them. */
export const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
