// rawJsonMembers on its own: each member's value text exactly as sent (spacing inside kept, around trimmed), keys
// decoded before they are compared, and every text that is not one well-formed JSON object refused.
import { describe, expect, it } from 'vitest';
import { rawJsonMembers } from './raw-json-members.ts';

const members = (text: string) => {
  const read = rawJsonMembers(text);
  return read === undefined ? undefined : Object.fromEntries(read);
};

describe('rawJsonMembers', () => {
  it('keeps the spacing inside a value and drops only what surrounds it', () => {
    const inner = '{\n\t"Key" : "k" ,\r\n  "List":[ 1 ,2, [ ] , { } ]\n}';
    const text = `\n\t {  "Content"\r\n:\t${inner}\n ,"HashCode" :"AB12"\t}\r\n`;
    expect(members(text)).toEqual({ Content: inner, HashCode: '"AB12"' });
  });

  it('keeps escapes as sent, not decoded or re-encoded', () => {
    const text = String.raw`{"a":"\u00e9\/\"\\","b":"é","c":"\ud83d\ude00","d":"tab\there"}`;
    expect(members(text)).toEqual({
      a: String.raw`"\u00e9\/\"\\"`,
      b: '"é"',
      c: String.raw`"\ud83d\ude00"`,
      d: String.raw`"tab\there"`,
    });
    // A value that is a string ending in a backslash: the escaped backslash does not escape the quote after it.
    expect(members(String.raw`{"a":"x\\","b":1}`)).toEqual({ a: String.raw`"x\\"`, b: '1' });
  });

  it('does not end a nested value at a brace, bracket, comma or quote inside a string', () => {
    const nested = String.raw`{"s":"}]},{[\"","t":[ "]", {"u":"{"} ],"v":{"w":[[["}"]]]}}`;
    expect(members(`{"a":${nested},"b":"{\\"x\\":1}"}`)).toEqual({ a: nested, b: String.raw`"{\"x\":1}"` });
    // Keys holding braces, colons and quotes.
    expect(members(String.raw`{"}{":1,"a:b":2,"\"":3}`)).toEqual({ '}{': '1', 'a:b': '2', '"': '3' });
  });

  it('reads every kind of scalar, with its text as sent', () => {
    expect(members('{"a":-0,"b":1E+2,"c":0.10,"d":false,"e":null,"f":""}')).toEqual({
      a: '-0',
      b: '1E+2',
      c: '0.10',
      d: 'false',
      e: 'null',
      f: '""',
    });
    // A number too large for a double keeps its digits.
    expect(members('{"Timestamp":9223372036854775807}')?.Timestamp).toBe('9223372036854775807');
  });

  it('refuses a repeated key, also when spelt with escapes, and keeps keys apart from values', () => {
    expect(rawJsonMembers('{"a":1,"b":2,"a":1}')).toBeUndefined();
    expect(rawJsonMembers(String.raw`{"A":1,"\u0041":2}`)).toBeUndefined();
    expect(rawJsonMembers(String.raw`{"Content":{},"Cont\u0065nt":{}}`)).toBeUndefined();
    // A repeated key inside a nested object is the nested value's business, not a top-level repeat.
    expect(members('{"a":{"k":1},"b":{"k":2}}')).toEqual({ a: '{"k":1}', b: '{"k":2}' });
    // A key that only looks like another in a value is no repeat.
    expect(members('{"a":"\\"b\\":1","b":2}')).toEqual({ a: '"\\"b\\":1"', b: '2' });
    // Case matters, as in JSON.
    expect(members('{"key":1,"Key":2}')).toEqual({ key: '1', Key: '2' });
  });

  it('refuses any text that is not one well-formed JSON object', () => {
    for (const text of [
      '',
      ' ',
      '{',
      '}',
      '{"a":1',
      '{"a":1,}',
      '{,"a":1}',
      '{"a" 1}',
      '{"a":}',
      '{a:1}',
      "{'a':1}",
      '{"a":01}',
      '{"a":NaN}',
      '{"a":undefined}',
      '{"a":"\u0001"}',
      '{"a":"x\\q"}',
      '{"a":1}{"b":2}',
      '{"a":1},',
      '{"a":1} // note',
      '\uFEFF{"a":1}',
      '\u00a0{"a":1}',
      '[{"a":1}]',
      '[]',
      'null',
      '1',
      'true',
      '"{}"',
    ]) {
      expect(rawJsonMembers(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('reads a large body in one pass, and an empty object as no members', () => {
    expect(rawJsonMembers(' { } ')?.size).toBe(0);
    const long = `"${'x'.repeat(200_000)}"`;
    const deep = `${'['.repeat(500)}${']'.repeat(500)}`;
    expect(members(`{"a":${long},"b":${deep}}`)).toEqual({ a: long, b: deep });
  });
});
