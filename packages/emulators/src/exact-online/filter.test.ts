import { describe, expect, it } from 'vitest';
import { ExactError } from './errors.ts';
import { matchesFilter, parseFilter } from './filter.ts';

const record = {
  ID: '0a0b0c0d-0000-4000-a000-000000000001',
  Name: "O'Neil & Co",
  City: 'Utrecht',
  Timestamp: '9007199254740993',
  Modified: `/Date(${Date.UTC(2026, 0, 2, 10)})/`,
  Blocked: false,
  Turnover: 1250.5,
  Email: null,
};
const fields = new Set(Object.keys(record));
const test = (filter: string) => matchesFilter(parseFilter(filter, fields), record);

function refusal(filter: string): string {
  try {
    parseFilter(filter, fields);
  } catch (error) {
    expect(error).toBeInstanceOf(ExactError);
    expect((error as ExactError).status).toBe(400);
    return (error as ExactError).message;
  }
  throw new Error(`parsed: ${filter}`);
}

describe('parseFilter and matchesFilter', () => {
  it('compares strings with doubled quotes, ignoring case', () => {
    expect(test("Name eq 'O''Neil & Co'")).toBe(true);
    expect(test("Name eq 'o''neil & co'")).toBe(true);
    expect(test("City ne 'Utrecht'")).toBe(false);
  });

  it('compares Int64 values beyond 2^53 exactly', () => {
    expect(test('Timestamp gt 9007199254740992L')).toBe(true);
    expect(test('Timestamp gt 9007199254740993L')).toBe(false);
    expect(test('Timestamp ge 9007199254740993L')).toBe(true);
  });

  it('compares guids and datetimes', () => {
    expect(test("ID eq guid'0A0B0C0D-0000-4000-A000-000000000001'")).toBe(true);
    expect(test("Modified gt datetime'2026-01-02T09:59:59'")).toBe(true);
    expect(test("Modified lt datetime'2026-01-02'")).toBe(false);
  });

  it('combines with and, or, not and parentheses', () => {
    expect(test("(City eq 'Delft' or City eq 'Utrecht') and not (Blocked eq true)")).toBe(true);
    expect(test("City eq 'Delft' or Turnover le 1250.5M")).toBe(true);
    expect(test("City eq 'Delft' and Turnover lt 2000")).toBe(false);
  });

  it('treats null as OData does', () => {
    expect(test('Email eq null')).toBe(true);
    expect(test('Email ne null')).toBe(false);
    expect(test("Email gt 'a'")).toBe(false);
  });

  it('runs substringof, startswith and endswith', () => {
    expect(test("substringof('neil', Name)")).toBe(true);
    expect(test("startswith(City, 'utr')")).toBe(true);
    expect(test("endswith(City, 'x')")).toBe(false);
    expect(test("substringof('neil', Name) eq true")).toBe(true);
    expect(test("substringof('neil', Name) eq false")).toBe(false);
    expect(refusal("substringof('neil', Name) gt 1")).toMatch(/true or false/);
  });

  it('refuses what it cannot parse, with a 400', () => {
    expect(refusal("Name eq 'open")).toMatch(/unterminated/);
    expect(refusal('Name eq')).toMatch(/end of the filter/);
    expect(refusal('Name eq 1 )')).toMatch(/unexpected/);
    expect(refusal("ID eq guid'nope'")).toMatch(/guid/);
    expect(refusal("Modified gt datetime'yesterday'")).toMatch(/datetime/);
    expect(refusal('Name $ 1')).toMatch(/unexpected character/);
    expect(refusal('1.5L eq Timestamp')).toMatch(/Int64/);
    expect(refusal("Nope eq 'x'")).toBe('Filtering on these fields is not supported: Nope');
  });

  it('refuses hostile nesting and length without overflowing the stack', () => {
    expect(refusal(`${'('.repeat(5_000)}Name eq 'x'${')'.repeat(5_000)}`)).toMatch(/too long|too deeply/);
    expect(refusal(`${'not '.repeat(1_500)}Blocked`)).toMatch(/too deeply/);
  });
});
