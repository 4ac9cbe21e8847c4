import { expect, it } from 'vitest';
import { CHANGES, changedAt, DELETIONS, deletedAt } from './edits.ts';

it('changes 500 and deletes 20 of 50 000 accounts, spread out, none both', () => {
  const changed = changedAt(50_000);
  const deleted = deletedAt(50_000);
  expect(new Set(changed).size).toBe(CHANGES);
  expect(new Set(deleted).size).toBe(DELETIONS);
  expect(changed.filter((index) => deleted.includes(index))).toEqual([]);
  expect([changed[0], changed.at(-1), deleted[0], deleted.at(-1)]).toEqual([0, 49_900, 1_250, 48_750]);
});

it('stays within a smaller seed', () => {
  expect(changedAt(100).every((index) => index < 100)).toBe(true);
  expect(deletedAt(100).every((index) => index < 100 && !changedAt(100).includes(index))).toBe(true);
});
