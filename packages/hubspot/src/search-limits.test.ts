import { readJsonInput } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { hubspotSearchRequestSchema } from './search-limits.ts';

const filter = { propertyName: 'email', operator: 'EQ', value: 'a@b.c' } as const;
const check = (request: unknown) =>
  readJsonInput(request, 'request', hubspotSearchRequestSchema, { optional: true });
const fieldOf = (request: unknown) => {
  const result = check(request);
  return result.success ? undefined : result.error.field;
};

describe('search limits', () => {
  it('accepts a request within the limits', () => {
    expect(
      check({
        filterGroups: [{ filters: [filter] }],
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
        limit: 200,
        query: 'x',
      }).success,
    ).toBe(true);
    expect(check(undefined).success).toBe(true);
  });

  it('refuses more than 5 groups, 6 filters in a group, or 18 filters in all, naming the field', () => {
    const groups = (count: number, filters: number) =>
      Array.from({ length: count }, () => ({ filters: Array(filters).fill(filter) }));
    expect(fieldOf({ filterGroups: groups(6, 1) })).toBe('request.filterGroups');
    expect(fieldOf({ filterGroups: groups(1, 7) })).toBe('request.filterGroups.0.filters');
    expect(fieldOf({ filterGroups: groups(4, 5) })).toBe('request.filterGroups');
    expect(check({ filterGroups: groups(3, 6) }).success).toBe(true);
  });

  it('refuses a query over 3000 characters and a limit over 200', () => {
    expect(fieldOf({ query: 'q'.repeat(3_001) })).toBe('request.query');
    expect(check({ query: 'q'.repeat(3_000) }).success).toBe(true);
    expect(fieldOf({ limit: 201 })).toBe('request.limit');
    expect(fieldOf({ limit: 0 })).toBe('request.limit');
  });

  it('refuses an unknown operator', () => {
    expect(fieldOf({ filterGroups: [{ filters: [{ propertyName: 'x', operator: 'LIKE' }] }] })).toBe(
      'request.filterGroups.0.filters.0.operator',
    );
  });
});
