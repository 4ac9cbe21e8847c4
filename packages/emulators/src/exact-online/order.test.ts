import { describe, expect, it } from 'vitest';
import { ExactError } from './errors.ts';
import {
  comparePosition,
  decodeOrderedToken,
  encodeOrderedToken,
  orderRecords,
  parseOrderBy,
  sortValue,
} from './order.ts';

const key = (n: number) => `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`;
const records = [
  { ID: key(1), Name: 'beta', Modified: '/Date(3000)/', Turnover: 5 },
  { ID: key(2), Name: "O'Neil", Modified: '/Date(1000)/', Turnover: null },
  { ID: key(3), Name: 'Alpha', Modified: '/Date(2000)/', Turnover: 5 },
  { ID: key(4), Name: 'alpha', Modified: null, Turnover: 1 },
];
const fields = new Set(['ID', 'Name', 'Modified', 'Turnover']);

describe('$orderby', () => {
  it('parses one property with a direction, refusing more or unknown', () => {
    expect(parseOrderBy('Modified desc', fields)).toEqual({ field: 'Modified', desc: true });
    expect(parseOrderBy('Name', fields)).toEqual({ field: 'Name', desc: false });
    expect(() => parseOrderBy('Name,Modified', fields)).toThrow(ExactError);
    expect(() => parseOrderBy('Nope', fields)).toThrow(/Nope/);
  });

  it('orders nulls first, dates by instant, strings ignoring case, ties by key', () => {
    const ids = (order: string) => orderRecords(records, parseOrderBy(order, fields)).map((r) => r.ID);
    expect(ids('Modified')).toEqual([key(4), key(2), key(3), key(1)]);
    expect(ids('Modified desc')).toEqual([key(1), key(3), key(2), key(4)]);
    expect(ids('Name')).toEqual([key(3), key(4), key(1), key(2)]);
    expect(ids('Turnover')).toEqual([key(2), key(4), key(1), key(3)]);
    expect(sortValue(true)).toBe(1);
  });

  it('writes and reads back a skiptoken of value and key, for every kind of value', () => {
    for (const field of ['Name', 'Modified', 'Turnover']) {
      const order = parseOrderBy(field, fields);
      for (const record of records) {
        const token = encodeOrderedToken(record, order, 'ID');
        const { value, key: at } = decodeOrderedToken(token, order);
        expect(comparePosition(order, 'ID', record, value, at)).toBe(0);
      }
    }
    expect(encodeOrderedToken(records[1]!, parseOrderBy('Name', fields), 'ID')).toBe(
      `'O''Neil',guid'${key(2)}'`,
    );
    expect(() => decodeOrderedToken("'x'", parseOrderBy('Name', fields))).toThrow(/skiptoken/);
    expect(() => decodeOrderedToken(`'x,guid'${key(1)}'`, parseOrderBy('Name', fields))).toThrow(/skiptoken/);
  });
});
