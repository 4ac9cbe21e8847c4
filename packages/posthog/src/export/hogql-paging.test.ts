import { expect, it } from 'vitest';
import { hogQLPaging, withLimit } from './hogql-paging.ts';

const KEYSET_SQL =
  'select timestamp, uuid from events where timestamp > toDateTime({after_timestamp}) or (timestamp = toDateTime({after_timestamp}) and uuid > toUUID({after_uuid})) order by timestamp, uuid';

it.each([
  ['select event from events order by timestamp', 'capped'],
  ["select event from events where event = 'limit' order by timestamp", 'capped'],
  ['select `limit` from events -- limit 5', 'capped'],
  ['select event from events /* LIMIT 10 */', 'capped'],
  ['select event from events where x = {after_timestamp}', 'capped'],
  ["select event from events where x = '{after_timestamp}' and y = '{after_uuid}'", 'capped'],
  [KEYSET_SQL, 'keyset'],
  ['select 1 where a > { after_timestamp } and b > {after_uuid}', 'keyset'],
  [`${KEYSET_SQL} limit 10`, 'as-written'],
  ['select event from events limit 10', 'as-written'],
  ['SELECT event FROM events LIMIT 10 OFFSET 20', 'as-written'],
  ['select event from (select event from events limit 5)', 'as-written'],
  ['select 1 union all select 2', 'as-written'],
  ['select event from events\nLimit\n3', 'as-written'],
])('hogQLPaging(%j) is %s', (sql, expected) => {
  expect(hogQLPaging(sql)).toBe(expected);
});

it('appends LIMIT on a line of its own', () => {
  expect(withLimit('select 1 -- note', 10)).toBe('select 1 -- note\nLIMIT 10');
  expect(withLimit('select 1;  \n', 5)).toBe('select 1\nLIMIT 5');
});

it('takes only positive safe integers', () => {
  expect(() => withLimit('select 1', 0)).toThrow(RangeError);
  expect(() => withLimit('select 1', 1.5)).toThrow(RangeError);
});
