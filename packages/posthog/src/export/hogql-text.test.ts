import { expect, it } from 'vitest';
import { callsAggregate, withoutQuotedText } from './hogql-text.ts';

it('blanks quoted text and comments', () => {
  const blanked = withoutQuotedText('select \'limit\', "union", `x` -- limit\nfrom events /* union */');
  expect(blanked).not.toMatch(/limit|union|`/i);
  expect(blanked).toMatch(/^select\s+,\s+,\s+\nfrom events\s+$/);
  expect(withoutQuotedText("select 'it\\'s', 'a''b' limit 1")).toBe('select  ,   limit 1');
});

it.each([
  ['count()', true],
  ["countIf(event = 'x')", true],
  ['uniq(person_id)', true],
  ['uniqExact(distinct_id)', true],
  ['sum(properties.price)', true],
  ['quantile(0.9)(properties.ms)', true],
  ['avgIf(x, y)', true],
  ['event', false],
  ['properties.count', false],
  ["'count()'", false],
  ['countEqual(arr, 1)', false],
  ['toStartOfDay(timestamp)', false],
  ['timestamp -- count(x) label', false],
])('callsAggregate(%j) is %s', (expression, expected) => {
  expect(callsAggregate(expression)).toBe(expected);
});
