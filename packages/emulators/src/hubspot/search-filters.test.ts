import { describe, expect, it } from 'vitest';
import { HubSpotError } from './errors.ts';
import {
  checkFilterGroups,
  compareValues,
  matchesFilter,
  matchesGroups,
  type SearchFilter,
} from './search-filters.ts';

const f = (filter: Partial<SearchFilter> & Pick<SearchFilter, 'operator'>): SearchFilter => ({
  propertyName: 'p',
  ...filter,
});

describe('matchesFilter', () => {
  const props = { p: 'Hello World', n: '10', createdate: '2026-01-01T00:00:00.000Z', e: 'ada@hubspot.com' };

  it('compares strings case-insensitively, numbers numerically and dates as epoch ms or ISO', () => {
    expect(matchesFilter(props, f({ operator: 'EQ', value: 'hello world' }))).toBe(true);
    expect(matchesFilter(props, f({ operator: 'NEQ', value: 'x' }))).toBe(true);
    expect(matchesFilter(props, { propertyName: 'n', operator: 'GT', value: '9' })).toBe(true);
    expect(matchesFilter(props, { propertyName: 'n', operator: 'LT', value: '9' })).toBe(false);
    expect(
      matchesFilter(props, { propertyName: 'n', operator: 'BETWEEN', value: '10', highValue: '11' }),
    ).toBe(true);
    const ms = String(Date.UTC(2026, 0, 1));
    expect(matchesFilter(props, { propertyName: 'createdate', operator: 'GTE', value: ms })).toBe(true);
    expect(matchesFilter(props, { propertyName: 'createdate', operator: 'LT', value: '2026-01-01' })).toBe(
      false,
    );
    expect(compareValues('x', '2', '10')).toBeLessThan(0);
    expect(compareValues('x', 'b', 'A')).toBeGreaterThan(0);
  });

  it('handles IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY and tokens with wildcards', () => {
    expect(matchesFilter(props, f({ operator: 'IN', values: ['x', 'hello world'] }))).toBe(true);
    expect(matchesFilter(props, f({ operator: 'NOT_IN', values: ['hello world'] }))).toBe(false);
    expect(matchesFilter(props, { propertyName: 'missing', operator: 'NOT_IN', values: ['a'] })).toBe(true);
    expect(matchesFilter(props, f({ operator: 'HAS_PROPERTY' }))).toBe(true);
    expect(matchesFilter(props, { propertyName: 'missing', operator: 'NOT_HAS_PROPERTY' })).toBe(true);
    expect(matchesFilter(props, f({ operator: 'CONTAINS_TOKEN', value: 'world' }))).toBe(true);
    expect(matchesFilter(props, f({ operator: 'CONTAINS_TOKEN', value: 'wor' }))).toBe(false);
    expect(
      matchesFilter(props, { propertyName: 'e', operator: 'CONTAINS_TOKEN', value: '*@hubspot.com' }),
    ).toBe(true);
    expect(
      matchesFilter(props, { propertyName: 'e', operator: 'NOT_CONTAINS_TOKEN', value: '*@other.com' }),
    ).toBe(true);
    expect(matchesFilter(props, { propertyName: 'missing', operator: 'EQ', value: '' })).toBe(false);
  });

  it('ORs groups and ANDs their filters', () => {
    const groups = [
      [f({ operator: 'EQ', value: 'nope' })],
      [f({ operator: 'HAS_PROPERTY' }), { propertyName: 'n', operator: 'EQ', value: '10' } as SearchFilter],
    ];
    expect(matchesGroups(props, groups)).toBe(true);
    expect(matchesGroups(props, [groups[0]!])).toBe(false);
    expect(matchesGroups(props, [])).toBe(true);
  });
});

describe('checkFilterGroups', () => {
  const filter = { propertyName: 'p', operator: 'EQ', value: 'x' };
  const groups = (n: number, size: number) =>
    Array.from({ length: n }, () => ({ filters: Array(size).fill(filter) }));

  it('enforces 5 groups, 6 filters per group and 18 in all', () => {
    expect(checkFilterGroups(groups(5, 3))).toHaveLength(5);
    expect(checkFilterGroups(groups(3, 6))).toHaveLength(3);
    for (const bad of [groups(6, 1), groups(1, 7), groups(4, 5)]) {
      expect(() => checkFilterGroups(bad)).toThrow(HubSpotError);
    }
  });

  it('checks operators and their values', () => {
    expect(checkFilterGroups(undefined)).toEqual([]);
    expect(
      checkFilterGroups([{ filters: [{ propertyName: 'n', operator: 'EQ', value: 5 }] }])[0]![0]!.value,
    ).toBe('5');
    for (const bad of [
      'x',
      [{}],
      [{ filters: [{ operator: 'EQ', value: 'x' }] }],
      [{ filters: [{ propertyName: 'p', operator: 'LIKE', value: 'x' }] }],
      [{ filters: [{ propertyName: 'p', operator: 'EQ' }] }],
      [{ filters: [{ propertyName: 'p', operator: 'IN', value: 'x' }] }],
      [{ filters: [{ propertyName: 'p', operator: 'BETWEEN', value: '1' }] }],
    ]) {
      expect(() => checkFilterGroups(bad), JSON.stringify(bad)).toThrow(HubSpotError);
    }
    expect(checkFilterGroups([{ filters: [{ propertyName: 'p', operator: 'HAS_PROPERTY' }] }])).toHaveLength(
      1,
    );
  });
});

describe('inherited names', () => {
  it('never reads a property a record does not own', () => {
    expect(matchesFilter({}, { propertyName: '__proto__', operator: 'HAS_PROPERTY' })).toBe(false);
    expect(matchesFilter({}, { propertyName: 'constructor', operator: 'EQ', value: 'x' })).toBe(false);
  });
});
