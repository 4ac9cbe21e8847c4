import { expect, it } from 'vitest';
import { createRowEncoder } from './row-encoder.ts';

const encode = (
  format: 'csv' | 'json' | 'ndjson',
  columns: string[],
  rows: unknown[][],
  escapeFormulas = true,
) => {
  const encoder = createRowEncoder({ format, escapeFormulas });
  return encoder.begin(columns) + rows.map((row) => encoder.row(row)).join('') + encoder.end();
};

it('CSV: a header record, then a record per row, CRLF', () => {
  expect(
    encode(
      'csv',
      ['event', 'count()', 'count()'],
      [
        ['a', 1, 2],
        ['=b', null, 3],
      ],
    ),
  ).toBe("event,count(),count()_2\r\na,1,2\r\n'=b,,3\r\n");
});

it('CSV: formula escape on the header too, and off when asked', () => {
  expect(encode('csv', ['-x'], [['-y']])).toBe("'-x\r\n'-y\r\n");
  expect(encode('csv', ['-x'], [['-y']], false)).toBe('-x\r\n-y\r\n');
});

it('CSV: no header without columns', () => {
  expect(encode('csv', [], [])).toBe('');
});

it('JSON: one valid array, empty or not', () => {
  expect(JSON.parse(encode('json', ['a'], []))).toEqual([]);
  const text = encode('json', ['a', 'b'], [[1, 'x'], [2], [3, null]]);
  expect(JSON.parse(text)).toEqual([
    { a: 1, b: 'x' },
    { a: 2, b: null },
    { a: 3, b: null },
  ]);
});

it('NDJSON: one object a line', () => {
  const text = encode('ndjson', ['a'], [[1], ['two\nlines']]);
  expect(text.split('\n')).toEqual(['{"a":1}', '{"a":"two\\nlines"}', '']);
  expect(encode('ndjson', ['a'], [])).toBe('');
});
