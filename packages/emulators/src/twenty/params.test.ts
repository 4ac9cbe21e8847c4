import { describe, expect, it } from 'vitest';
import { parseDepth, parseFields, parseLimit, parseUpsert, queryString, queryValue } from './params.ts';
import { createSchema } from './schema.ts';

const bounds = { defaultLimit: 60, maxLimit: 200 };
const people = createSchema().byPlural('people')!;

describe('queryValue', () => {
  it('gives a string, an array when repeated, or undefined', () => {
    const params = new URLSearchParams('a=1&b=2&b=3');
    expect(queryValue(params, 'a')).toBe('1');
    expect(queryValue(params, 'b')).toEqual(['2', '3']);
    expect(queryValue(params, 'c')).toBeUndefined();
    expect(queryString(params, 'b')).toBeUndefined();
  });
});

describe('parseLimit', () => {
  it('defaults, clamps silently and refuses non-integers', () => {
    expect(parseLimit(undefined, bounds)).toBe(60);
    expect(parseLimit('', bounds)).toBe(60);
    expect(parseLimit('0', bounds)).toBe(0);
    expect(parseLimit('5', bounds)).toBe(5);
    expect(parseLimit('5000', bounds)).toBe(200);
    for (const bad of ['abc', '-1', '1.5']) {
      expect(() => parseLimit(bad, bounds)).toThrow(`limit '${bad}' is invalid. Should be an integer`);
    }
    expect(() => parseLimit(['1', '2'], bounds)).toThrow(/invalid/);
  });
});

describe('parseDepth', () => {
  it('accepts 0 and 1 only', () => {
    expect(parseDepth(undefined)).toBe(0);
    expect(parseDepth('1')).toBe(1);
    expect(() => parseDepth('2')).toThrow("'depth=2' parameter invalid. Allowed values are 0, 1");
  });
});

describe('parseUpsert', () => {
  it('is on for the string true only', () => {
    expect(parseUpsert('true')).toBe(true);
    expect(parseUpsert('1')).toBe(false);
    expect(parseUpsert(undefined)).toBe(false);
  });
});

describe('parseFields', () => {
  it('reads a de-duplicated comma list of field names', () => {
    expect(parseFields(undefined, people)).toBeUndefined();
    expect(parseFields('city, name,city', people)).toEqual(['city', 'name']);
    expect(parseFields(['city', 'company'], people)).toEqual(['city', 'company']);
  });

  it('refuses an empty list and unknown names (a join column is not a field name)', () => {
    expect(() => parseFields(',', people)).toThrow(/'fields' parameter is empty/);
    expect(() => parseFields('city,nope,companyId', people)).toThrow(
      "'fields' parameter invalid. Unknown or unreadable fields on 'person': nope, companyId",
    );
  });
});
