import { describe, expect, it } from 'vitest';
import { cellText, csvField, csvRecord } from './csv.ts';

const plain = { escapeFormulas: false };
const guarded = { escapeFormulas: true };

describe('csvField (RFC 4180 §2)', () => {
  it.each([
    ['aaa', 'aaa'],
    ['b,bb', '"b,bb"'],
    ['b"bb', '"b""bb"'],
    ['b\r\nbb', '"b\r\nbb"'],
    ['line\nbreak', '"line\nbreak"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ['"', '""""'],
    ['', ''],
    [' spaced ', ' spaced '],
    ['zoë, 東京 🚀', '"zoë, 東京 🚀"'],
    ['naïve 東京 🚀', 'naïve 東京 🚀'],
  ])('writes %j as %j', (value, expected) => {
    expect(csvField(value, plain)).toBe(expected);
  });

  it('writes JSON values as text', () => {
    expect(csvField(null, plain)).toBe('');
    expect(csvField(undefined, plain)).toBe('');
    expect(csvField(42, plain)).toBe('42');
    expect(csvField(-1.5, plain)).toBe('-1.5');
    expect(csvField(true, plain)).toBe('true');
    expect(csvField(12n, plain)).toBe('12');
    expect(csvField({ a: 1, b: 'x,y' }, plain)).toBe('"{""a"":1,""b"":""x,y""}"');
    expect(csvField([1, 2], plain)).toBe('"[1,2]"');
    expect(csvField(new Date(Date.UTC(2026, 2, 1, 12)), plain)).toBe('2026-03-01T12:00:00.000Z');
    expect(csvField(new Date(Number.NaN), plain)).toBe('');
    expect(csvField(Symbol('s'), plain)).toBe('');
  });

  it('throws on a cell that cannot be JSON (the stream turns it into a typed error)', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => cellText(cyclic)).toThrow();
  });
});

describe('csvField formula escape (OWASP CSV injection)', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcell', "'\tcell"],
    ['\rcell', `"'\rcell"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['=cmd|" /C calc"!A0, x', `"'=cmd|"" /C calc""!A0, x"`],
  ])('prefixes %j', (value, expected) => {
    expect(csvField(value, guarded)).toBe(expected);
    expect(csvField(value, plain)).not.toMatch(/^"?'/);
  });

  it('leaves numbers, safe text and JSON alone', () => {
    expect(csvField(-5, guarded)).toBe('-5');
    expect(csvField('a=b', guarded)).toBe('a=b');
    expect(csvField({ f: '=1' }, guarded)).toBe('"{""f"":""=1""}"');
  });
});

describe('csvRecord', () => {
  it('joins fields with commas and ends with CRLF', () => {
    expect(csvRecord(['a', 'b,c', null, 3], plain)).toBe('a,"b,c",,3\r\n');
    expect(csvRecord([], plain)).toBe('\r\n');
  });
});
