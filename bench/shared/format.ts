// How the benchmarks' tables print numbers and verdicts.

/** `met` / `not met`. */
export const met = (ok: boolean) => (ok ? 'met' : 'not met');

/** Numbers as the tables print them. */
export const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Bytes in KB, one decimal. */
export const kb = (bytes: number) => `${fmt(bytes / 1024, 1)} KB`;

/** Bytes in MB, one decimal. */
export const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024, 1)} MB`;

/** Milliseconds in seconds, one decimal. */
export const seconds = (ms: number) => `${fmt(ms / 1000, 1)} s`;
