// Whether an export's memory stayed flat: the highest resident-memory sample while the second half of the rows
// passed against the first half's. The first quarter includes the heap growing to its working size, so the halves
// are compared, not the first and last samples; memory that grows with the rows (a collector's) fails.

/** How much more the second half may take than the first and still be flat. */
export const FLAT_SLACK = 0.15;

/** The second half's highest sample over the first half's (1 = the same), from four quarter samples. */
export function secondHalfGrowth(quarters: readonly number[]): number {
  const [q1, q2, q3, q4] = quarters;
  if (q1 === undefined || q2 === undefined || q3 === undefined || q4 === undefined) return Number.NaN;
  return Math.max(q3, q4) / Math.max(q1, q2);
}

/** Flat: four quarters, the second half within {@link FLAT_SLACK} of the first. */
export const isFlat = (quarters: readonly number[]) => secondHalfGrowth(quarters) <= 1 + FLAT_SLACK;
