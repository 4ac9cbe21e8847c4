import { expect, it } from 'vitest';
import { exact, seenOnChanges, seenOnLoad } from './verify.ts';

it('finds every account once on a first load, and counts repeats and misses', () => {
  const ids = new Set(['a', 'b', 'c']);
  expect(exact(seenOnLoad({ records: 3, ids }, 3))).toBe(true);
  const repeated = seenOnLoad({ records: 5, ids }, 4);
  expect(repeated).toMatchObject({ records: 5, distinct: 3, missed: 1, extra: 0 });
  expect(exact(repeated)).toBe(false);
});

it('checks a next run against the changed accounts and the deleted keys', () => {
  const seen = seenOnChanges(
    { records: 2, ids: new Set(['a', 'x']), deletions: new Set(['d1']) },
    ['A', 'B'],
    ['D1', 'D2'],
  );
  expect(seen).toEqual({
    records: 2,
    distinct: 2,
    expected: 2,
    missed: 1,
    extra: 1,
    deletions: { expected: 2, seen: 1 },
  });
  expect(exact(seen)).toBe(false);
  expect(
    exact(seenOnChanges({ records: 1, ids: new Set(['a']), deletions: new Set(['d']) }, ['a'], ['d'])),
  ).toBe(true);
});
