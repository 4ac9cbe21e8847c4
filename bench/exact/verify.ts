// What a pull handed out, checked against what Exact holds: on the first load every live account once; on the next
// run exactly the accounts the users changed, and the keys of those they deleted.
import type { PullOutcome } from './clients.ts';

/** A pull's records and deletions against what was expected. */
export interface Seen {
  /** Records handed out, a record read twice counted twice. */
  records: number;
  /** Distinct records handed out. */
  distinct: number;
  /** Records expected. */
  expected: number;
  /** Expected records not handed out. */
  missed: number;
  /** Records handed out that were not expected (unchanged ones re-read, or unknown). */
  extra: number;
  /** Deletions expected and deletions handed out of those. */
  deletions: { expected: number; seen: number };
}

/** The first load: every one of the `accounts` live accounts, no deletion to tell. */
export function seenOnLoad(outcome: Pick<PullOutcome, 'records' | 'ids'>, accounts: number): Seen {
  return {
    records: outcome.records,
    distinct: outcome.ids.size,
    expected: accounts,
    missed: Math.max(0, accounts - outcome.ids.size),
    extra: Math.max(0, outcome.ids.size - accounts),
    deletions: { expected: 0, seen: 0 },
  };
}

/** A next run: the `changed` accounts, and the `deleted` keys. */
export function seenOnChanges(
  outcome: Pick<PullOutcome, 'records' | 'ids' | 'deletions'>,
  changed: readonly string[],
  deleted: readonly string[],
): Seen {
  const expected = new Set(changed.map((id) => id.toLowerCase()));
  let extra = 0;
  for (const id of outcome.ids) if (!expected.has(id)) extra++;
  return {
    records: outcome.records,
    distinct: outcome.ids.size,
    expected: expected.size,
    missed: [...expected].filter((id) => !outcome.ids.has(id)).length,
    extra,
    deletions: {
      expected: deleted.length,
      seen: deleted.filter((id) => outcome.deletions.has(id.toLowerCase())).length,
    },
  };
}

/** Whether a pull handed out exactly what it should have, each record once. */
export function exact(seen: Seen): boolean {
  return (
    seen.missed === 0 &&
    seen.extra === 0 &&
    seen.records === seen.distinct &&
    seen.deletions.seen === seen.deletions.expected
  );
}
