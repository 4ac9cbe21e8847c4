// The users' edits made in Exact between the two pulls, as the issue sets them: 500 accounts changed and 20
// deleted, spread over the accounts (not bunched at one end of a page order), none both changed and deleted.

/** Accounts changed between the pulls. */
export const CHANGES = 500;
/** Accounts deleted between the pulls. */
export const DELETIONS = 20;

// `count` indexes spread evenly over `0 … n-1`, each `offset` after the start of its stretch.
const spread = (n: number, count: number, offset: number) =>
  Array.from({ length: Math.min(count, n) }, (_, i) => Math.floor((i * n) / count + offset));

/** Indexes (in seed order) of the accounts changed, out of `n`. */
export function changedAt(n: number): number[] {
  return spread(n, CHANGES, 0);
}

/** Indexes of the accounts deleted, out of `n`: none of them changed. */
export function deletedAt(n: number): number[] {
  const changed = new Set(changedAt(n));
  return spread(n, DELETIONS, n / DELETIONS / 2).filter((index) => index < n && !changed.has(index));
}
