import { expect, it } from 'vitest';
import { jsonKeyPrefixes, jsonRow } from './json-rows.ts';

it('writes a row object, column → cell, with null for what JSON cannot carry', () => {
  const prefixes = jsonKeyPrefixes(['event', 'n', 'props', 'missing', 'fn']);
  const text = jsonRow(prefixes, ['$pageview', 3, { a: [1, '"q"'] }, undefined, () => 1]);
  expect(JSON.parse(text)).toEqual({
    event: '$pageview',
    n: 3,
    props: { a: [1, '"q"'] },
    missing: null,
    fn: null,
  });
});

it('keeps a column called __proto__ as a key', () => {
  const parsed = JSON.parse(jsonRow(jsonKeyPrefixes(['__proto__', 'constructor']), [{ polluted: true }, 1]));
  expect(Object.keys(parsed)).toEqual(['__proto__', 'constructor']);
  expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
});

it('escapes column names and text', () => {
  const text = jsonRow(jsonKeyPrefixes(['a"b\n', 'ünï']), ['line\u2028sep', '🚀']);
  expect(JSON.parse(text)).toEqual({ 'a"b\n': 'line\u2028sep', ünï: '🚀' });
});

it('throws on a bigint (the stream turns it into a typed error)', () => {
  expect(() => jsonRow(jsonKeyPrefixes(['n']), [1n])).toThrow();
});
