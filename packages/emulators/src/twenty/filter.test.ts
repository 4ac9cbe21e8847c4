import { describe, expect, it } from 'vitest';
import {
  compileFilter,
  indexableConditions,
  MAX_FILTER_DEPTH,
  matches,
  mentionsDeletedAt,
  parseFilterQuery,
} from './filter.ts';
import { createSchema } from './schema.ts';

const schema = createSchema();
const people = schema.byPlural('people')!;
const options = { objectByPlural: (name: string) => schema.byPlural(name) };
const compile = (query: string) => compileFilter(people, parseFilterQuery(query), options);

describe('parseFilterQuery', () => {
  it('wraps a comma list in and(), nesting dotted fields', () => {
    expect(parseFilterQuery('emails.primaryEmail[eq]:"a@b.co",city[neq]:Paris')).toEqual({
      and: [{ emails: { primaryEmail: { eq: 'a@b.co' } } }, { city: { neq: 'Paris' } }],
    });
  });

  it('parses nested conjunctions and not()', () => {
    expect(parseFilterQuery('or(city[eq]:A,and(city[eq]:B,not(jobTitle[is]:NULL)))')).toEqual({
      or: [{ city: { eq: 'A' } }, { and: [{ city: { eq: 'B' } }, { not: { jobTitle: { is: 'NULL' } } }] }],
    });
  });

  it('splits [in] values naively on commas and strips quotes only around whole values', () => {
    expect(parseFilterQuery('city[in]:["a,b","c"]')).toEqual({ and: [{ city: { in: ['"a', 'b"', 'c'] } }] });
    expect(parseFilterQuery("city[in]:['x',y]")).toEqual({ and: [{ city: { in: ['x', 'y'] } }] });
  });

  it('mangles and(a),or(b) as Twenty does (root-conjunction quirk)', () => {
    // The root pattern matches `and(...)`, so no default and() is added; parse-filter-content then keeps only the
    // characters inside brackets, gluing both predicates into one value.
    expect(parseFilterQuery('and(city[eq]:a),or(city[eq]:b)')).toEqual({
      and: [{ city: { eq: 'acity[eq]:b' } }],
    });
  });

  it('keeps the value after the first colon, colons included', () => {
    expect(parseFilterQuery('createdAt[gte]:2025-01-01T00:00:00Z')).toEqual({
      and: [{ createdAt: { gte: '2025-01-01T00:00:00Z' } }],
    });
  });

  it('answers the parser messages for malformed filters', () => {
    expect(() => parseFilterQuery('and(city[eq]:a')).toThrow(
      "'filter' invalid. 1 close bracket is missing in the query",
    );
    expect(() => parseFilterQuery('city[eq]:a))')).toThrow(
      "'filter' invalid. 2 open brackets are missing in the query",
    );
    expect(() => parseFilterQuery('city:a')).toThrow("'filter' invalid for 'city:a'. eg: price[gte]:10");
    expect(() => parseFilterQuery('city[has]:a')).toThrow(
      "'filter' invalid for 'city[has]:a', comparator has not in eq, neq, in, containsAny, is, gt, gte, lt, lte, startsWith, endsWith, like, ilike",
    );
    expect(() => parseFilterQuery('city[in]:a')).toThrow(
      "'filter' invalid for 'in' operator. Received 'a' but array value expected eg: 'field[in]:[value_1,value_2]'",
    );
    expect(() => parseFilterQuery('not(city[eq]:a,city[eq]:b)')).toThrow(
      "'filter' invalid. 'not' conjunction should contain only 1 condition. eg: not(field[eq]:1)",
    );
  });
});

describe('compileFilter', () => {
  it('refuses unknown fields, sub-fields and a bare composite', () => {
    expect(() => compile('nope[eq]:1')).toThrow('Object person doesn\'t have any "nope" field.');
    expect(() => compile('emails.nope[eq]:1')).toThrow(
      'Sub field "nope" not found for composite type: EMAILS',
    );
    expect(() => compile('emails[eq]:1')).toThrow('Sub field "eq" not found for composite type: EMAILS');
  });

  it('points relation leaves at the join column', () => {
    expect(() => compile('company[eq]:x')).toThrow(
      'Cannot filter by relation field "company": use "companyId" instead',
    );
  });

  it('refuses an is value other than NULL / NOT_NULL and a non-uuid id', () => {
    expect(() => compile('city[is]:x')).toThrow(/Expected 'NULL' or 'NOT_NULL'/);
    expect(() => compile('id[eq]:abc')).toThrow(/Invalid UUID value 'abc'/);
  });

  it('types numbers and canonicalizes e-mails', () => {
    expect(compile('position[lte]:1')).toMatchObject({ path: 'position', comparator: 'lte', value: 1 });
    expect(compile('emails.primaryEmail[in]:[A@X.IO,b@x.io]')).toMatchObject({ value: ['a@x.io', 'b@x.io'] });
  });

  it('finds indexable eq/in conditions in the and-chain only', () => {
    expect(
      indexableConditions(compile('city[eq]:a,id[in]:[00000000-0000-4000-8000-000000000001]')),
    ).toHaveLength(2);
    expect(indexableConditions(compile('or(city[eq]:a,city[eq]:b)'))).toEqual([]);
  });

  it('notices deletedAt', () => {
    expect(mentionsDeletedAt(compile('deletedAt[is]:NOT_NULL'))).toBe(true);
    expect(mentionsDeletedAt(compile('city[eq]:a'))).toBe(false);
  });
});

describe('matches', () => {
  const ada = {
    id: '00000000-0000-4000-8000-000000000001',
    city: 'Paris',
    jobTitle: null,
    position: 3,
    name: { firstName: 'Ada', lastName: 'Lovelace' },
    emails: { primaryEmail: 'ada@x.io', additionalEmails: null },
    companyId: '00000000-0000-4000-8000-0000000000c1',
    createdAt: '2025-01-02T00:00:00.000Z',
  };
  const acme = { id: ada.companyId, name: 'Acme' };
  const related = () => acme;
  const test = (query: string) => matches(compile(query), ada, related);

  it('compares with eq, neq, in, gt/gte/lt/lte and dates', () => {
    expect(test('city[eq]:Paris')).toBe(true);
    expect(test('city[eq]:paris')).toBe(false);
    expect(test('city[neq]:Rome')).toBe(true);
    expect(test('city[in]:[Rome,Paris]')).toBe(true);
    expect(test('position[gt]:2,position[lte]:3')).toBe(true);
    expect(test('position[lt]:3')).toBe(false);
    expect(test('createdAt[gte]:2025-01-01')).toBe(true);
  });

  it('matches text patterns', () => {
    expect(test('name.firstName[startsWith]:Ad')).toBe(true);
    expect(test('name.lastName[endsWith]:lace')).toBe(true);
    expect(test('city[like]:P%s')).toBe(true);
    expect(test('city[like]:p%')).toBe(false);
    expect(test('city[ilike]:p_ris')).toBe(true);
  });

  it('applies is NULL / NOT_NULL and SQL NULL logic', () => {
    expect(test('jobTitle[is]:NULL')).toBe(true);
    expect(test('city[is]:NOT_NULL')).toBe(true);
    // NULL = x and NOT (NULL = x) are both unknown: neither matches.
    expect(test('jobTitle[eq]:x')).toBe(false);
    expect(test('not(jobTitle[eq]:x)')).toBe(false);
    expect(test('jobTitle[neq]:x')).toBe(false);
    expect(test('or(jobTitle[eq]:x,city[eq]:Paris)')).toBe(true);
  });

  it('combines and / or / not', () => {
    expect(test('and(city[eq]:Paris,not(name.firstName[eq]:Bob))')).toBe(true);
    expect(test('or(city[eq]:Rome,name.lastName[eq]:X)')).toBe(false);
  });

  it('filters through a many-to-one relation, one hop', () => {
    expect(test('company.name[eq]:Acme')).toBe(true);
    expect(test('company.name[eq]:Other')).toBe(false);
    expect(matches(compile('company.name[is]:NULL'), { ...ada, companyId: null }, related)).toBe(true);
  });
});

describe('parseFilterQuery nesting bound', () => {
  const nestedFilter = (depth: number) => `${'not('.repeat(depth)}city[eq]:Paris${')'.repeat(depth)}`;

  it(`parses ${MAX_FILTER_DEPTH} levels and refuses one more at once, with Twenty's filter error code`, () => {
    expect(() => parseFilterQuery(nestedFilter(MAX_FILTER_DEPTH - 1))).not.toThrow();
    const started = performance.now();
    let thrown: unknown;
    try {
      parseFilterQuery(nestedFilter(5_000));
    } catch (error) {
      thrown = error;
    }
    expect(performance.now() - started).toBeLessThan(500);
    expect(thrown).toMatchObject({ status: 400 });
    expect((thrown as { body(): unknown }).body()).toEqual({
      statusCode: 400,
      error: 'BadRequestException',
      messages: [`'filter' invalid. Nesting deeper than ${MAX_FILTER_DEPTH} levels is not supported`],
      code: 'INVALID_FILTER_QUERY_PARAM',
    });
  });
});
