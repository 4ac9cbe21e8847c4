import { expect, it } from 'vitest';
import { uniqueColumnNames } from './column-names.ts';

it('keeps unique names and numbers repeats', () => {
  expect(uniqueColumnNames(['event', 'count()', 'count()', 'count()_2'])).toEqual([
    'event',
    'count()',
    'count()_2',
    'count()_2_2',
  ]);
  expect(uniqueColumnNames([])).toEqual([]);
});
