import { expect, it } from 'vitest';
import { runsAsOnePage, withLimitOffset } from './hogql-paging.ts';

it.each([
  ['select event from events order by timestamp', false],
  ["select event from events where event = 'limit' order by timestamp", false],
  ['select `limit` from events -- limit 5', false],
  ['select event from events /* LIMIT 10 */', false],
  ['select event from events limit 10', true],
  ['SELECT event FROM events LIMIT 10 OFFSET 20', true],
  ['select event from (select event from events limit 5)', true],
  ['select 1 union all select 2', true],
  ['select event from events\nLimit\n3', true],
])('runsAsOnePage(%j) is %s', (sql, expected) => {
  expect(runsAsOnePage(sql)).toBe(expected);
});

it('appends LIMIT and OFFSET on a line of their own', () => {
  expect(withLimitOffset('select 1 -- note', 10, 20)).toBe('select 1 -- note\nLIMIT 10 OFFSET 20');
  expect(withLimitOffset('select 1;  \n', 5, 0)).toBe('select 1\nLIMIT 5 OFFSET 0');
});

it('takes only safe integers', () => {
  expect(() => withLimitOffset('select 1', 0, 0)).toThrow(RangeError);
  expect(() => withLimitOffset('select 1', 1, -1)).toThrow(RangeError);
  expect(() => withLimitOffset('select 1', 1.5, 0)).toThrow(RangeError);
});
