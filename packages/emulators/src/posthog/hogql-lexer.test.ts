import { describe, expect, it } from 'vitest';
import { HogQLError } from './hogql-ast.ts';
import { tokenize } from './hogql-lexer.ts';

const kinds = (text: string) => tokenize(text).map((token) => `${token.kind}:${token.text}`);

describe('tokenize', () => {
  it('reads identifiers with $, numbers, operators and the end', () => {
    expect(kinds('select properties.$browser, 1.5e3 >= x')).toEqual([
      'identifier:select',
      'identifier:properties',
      'op:.',
      'identifier:$browser',
      'op:,',
      'number:1.5e3',
      'op:>=',
      'identifier:x',
      'eof:<EOF>',
    ]);
    expect(tokenize('0x1F')[0]).toMatchObject({ kind: 'number', value: 31 });
    expect(tokenize('.5')[0]).toMatchObject({ kind: 'number', value: 0.5 });
  });

  it('reads a chain index as a chain, not a float', () => {
    expect(kinds('a.1')).toEqual(['identifier:a', 'op:.', 'number:1', 'eof:<EOF>']);
  });

  it('unescapes strings (backslashes and doubled quotes) and quoted identifiers', () => {
    expect(tokenize(String.raw`'it\'s' 'it''s' 'a\nb' 'x\\y'`).map((t) => t.text)).toEqual([
      "it's",
      "it's",
      'a\nb',
      'x\\y',
      '<EOF>',
    ]);
    expect(tokenize('`my col` "other"').slice(0, 2)).toMatchObject([
      { kind: 'quotedIdentifier', text: 'my col' },
      { kind: 'quotedIdentifier', text: 'other' },
    ]);
  });

  it('skips -- and /* */ comments', () => {
    expect(kinds('a -- note\n/* block */ b')).toEqual(['identifier:a', 'identifier:b', 'eof:<EOF>']);
  });

  it('refuses an unclosed string and a stray character as syntax errors', () => {
    for (const text of ["select 'open", 'select @x']) {
      try {
        tokenize(text);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(HogQLError);
        expect((error as HogQLError).code).toBe('hogql_syntax_error');
      }
    }
  });
});
