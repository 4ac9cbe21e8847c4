import { describe, expect, it } from 'vitest';
import {
  comparatorOf,
  decodeCursor,
  encodeCursor,
  paginate,
  parseOrderBy,
  resolveOrderBy,
} from './cursor.ts';
import { createSchema } from './schema.ts';

const people = createSchema().byPlural('people')!;
const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const records = [1, 2, 3, 4, 5].map((n) => ({
  id: ID(n),
  position: n % 2 === 0 ? null : n,
  name: { firstName: `F${n}` },
}));
const byId = resolveOrderBy(people, []);

describe('parseOrderBy / resolveOrderBy', () => {
  it('parses directions (AscNullsFirst by default) and appends the id tie-breaker', () => {
    expect(resolveOrderBy(people, parseOrderBy('name.firstName[DescNullsLast],city'))).toEqual([
      { path: 'name.firstName', direction: 'DescNullsLast' },
      { path: 'city', direction: 'AscNullsFirst' },
      { path: 'id', direction: 'AscNullsFirst' },
    ]);
    expect(resolveOrderBy(people, parseOrderBy('id[DescNullsFirst]'))).toEqual([
      { path: 'id', direction: 'DescNullsFirst' },
    ]);
  });

  it('expands a bare composite to its sortable sub-fields', () => {
    expect(resolveOrderBy(people, parseOrderBy('name')).map((leaf) => leaf.path)).toEqual([
      'name.firstName',
      'name.lastName',
      'id',
    ]);
  });

  it('refuses an unknown direction or field', () => {
    expect(() => parseOrderBy('city[Up]')).toThrow(
      "'order_by' direction 'Up' invalid. Allowed values are 'AscNullsFirst', 'AscNullsLast', 'DescNullsFirst', 'DescNullsLast'. eg: ?order_by=field_1[AscNullsFirst],field_2[DescNullsLast],field_3",
    );
    expect(() => resolveOrderBy(people, parseOrderBy('nope'))).toThrow(/doesn't have any "nope" field/);
    expect(() => resolveOrderBy(people, parseOrderBy('name.nope'))).toThrow(/Sub field "nope"/);
  });
});

describe('comparatorOf', () => {
  it('places NULLs as the direction says', () => {
    const sortBy = (order: string) =>
      [...records].sort(comparatorOf(resolveOrderBy(people, parseOrderBy(order)))).map((r) => r.id.slice(-1));
    expect(sortBy('position[AscNullsFirst]')).toEqual(['2', '4', '1', '3', '5']);
    expect(sortBy('position[AscNullsLast]')).toEqual(['1', '3', '5', '2', '4']);
    expect(sortBy('position[DescNullsLast]')).toEqual(['5', '3', '1', '2', '4']);
    expect(sortBy('position[DescNullsFirst]')).toEqual(['2', '4', '5', '3', '1']);
  });
});

describe('cursors', () => {
  it('encode the order values and id as base64 JSON', () => {
    const cursor = encodeCursor(records[0]!, resolveOrderBy(people, parseOrderBy('name.firstName')));
    expect(JSON.parse(atob(cursor))).toEqual({ name: { firstName: 'F1' }, id: ID(1) });
    expect(decodeCursor(cursor)).toEqual({ name: { firstName: 'F1' }, id: ID(1) });
    expect(atob(encodeCursor(records[0]!, byId))).toBe(`{"id":"${ID(1)}"}`);
  });

  it('decode leniently like Buffer, but refuse what is not JSON', () => {
    const cursor = encodeCursor(records[0]!, byId).replace(/=+$/, '');
    expect(decodeCursor(cursor)).toEqual({ id: ID(1) });
    expect(() => decodeCursor('invalid-cursor')).toThrow('Invalid cursor: invalid-cursor');
    expect(() => decodeCursor(btoa('[1]'))).toThrow(/Invalid cursor/);
  });
});

describe('paginate', () => {
  const ids = (page: { items: { id: string }[] }) => page.items.map((r) => r.id.slice(-1));

  it('pages forward with hasNextPage, and hasPreviousPage once a cursor is given', () => {
    const first = paginate(records, byId, { limit: 2 });
    expect(ids(first)).toEqual(['1', '2']);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = paginate(records, byId, { limit: 2, after: decodeCursor(first.pageInfo.endCursor!) });
    expect(ids(second)).toEqual(['3', '4']);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const last = paginate(records, byId, { limit: 2, after: decodeCursor(second.pageInfo.endCursor!) });
    expect(ids(last)).toEqual(['5']);
    expect(last.pageInfo.hasNextPage).toBe(false);
  });

  it('pages backward: the records just before the cursor, in order', () => {
    const page = paginate(records, byId, { limit: 2, before: { id: ID(4) } });
    expect(ids(page)).toEqual(['2', '3']);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const start = paginate(records, byId, { limit: 5, before: { id: ID(3) } });
    expect(ids(start)).toEqual(['1', '2']);
    expect(start.pageInfo.hasPreviousPage).toBe(false);
  });

  it('keeps working when the cursor record is gone', () => {
    expect(ids(paginate(records, byId, { limit: 2, after: { id: `${ID(2)}x` } }))).toEqual(['3', '4']);
  });

  it('answers empty pages with null cursors', () => {
    expect(paginate([], byId, { limit: 2 }).pageInfo).toEqual({
      startCursor: null,
      endCursor: null,
      hasNextPage: false,
      hasPreviousPage: false,
    });
    expect(paginate(records, byId, { limit: 0 }).pageInfo.hasNextPage).toBe(true);
  });
});
