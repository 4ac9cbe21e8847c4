import { hostileValues } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { exactFilter as f, isExactFieldName, renderExactFilter } from './filter.ts';

const text = (filter: unknown) => {
  const rendered = renderExactFilter(filter);
  if (!rendered.success) throw rendered.error;
  return rendered.data;
};
const problem = (filter: unknown) => {
  const rendered = renderExactFilter(filter);
  if (rendered.success) throw new Error(`expected a problem, got ${rendered.data}`);
  expect(rendered.error.code).toBe('VALIDATION_ERROR');
  expect(rendered.error.field).toBe('filter');
  return rendered.error.message;
};
const ID = '5e4c5b6d-0000-4c3f-8e9a-0123456789ab';

describe('exactFilter', () => {
  it('writes comparisons of every literal type', () => {
    expect(text(f.eq('Name', 'Acme'))).toBe("Name eq 'Acme'");
    expect(text(f.ne('Status', null))).toBe('Status ne null');
    expect(text(f.ge('Blocked', false))).toBe('Blocked ge false');
    expect(text(f.lt('Amount', 12.5))).toBe('Amount lt 12.5');
    expect(text(f.eq('ID', f.guid(ID.toUpperCase())))).toBe(`ID eq guid'${ID}'`);
    expect(text(f.gt('Timestamp', f.int64(9007199254740993n)))).toBe('Timestamp gt 9007199254740993L');
    expect(text(f.gt('Timestamp', f.int64('1')))).toBe('Timestamp gt 1L');
  });

  it('writes dates as Amsterdam wall-clock datetime literals', () => {
    expect(text(f.gt('Modified', new Date('2026-01-01T00:00:00Z')))).toBe(
      "Modified gt datetime'2026-01-01T01:00:00.000'",
    );
    expect(text(f.gt('Modified', f.datetime('2026-07-01T00:00:00Z')))).toBe(
      "Modified gt datetime'2026-07-01T02:00:00.000'",
    );
  });

  it('doubles quotes, so a value cannot close its literal and add a clause', () => {
    expect(text(f.eq('Name', "x' or Name ne 'y"))).toBe("Name eq 'x'' or Name ne ''y'");
    expect(text(f.startsWith('Name', "O'Brien"))).toBe("startswith(Name,'O''Brien')");
    expect(text(f.contains('Email', '@acme.'))).toBe("substringof('@acme.',Email)");
    expect(text(f.endsWith('Email', '.nl'))).toBe("endswith(Email,'.nl')");
  });

  it('combines with and, or and not', () => {
    expect(text(f.and(f.eq('A', 1), f.or(f.eq('B', 'x'), f.not(f.eq('C', true)))))).toBe(
      "(A eq 1) and ((B eq 'x') or (not (C eq true)))",
    );
    expect(text(f.and(f.eq('A', 1)))).toBe('A eq 1');
    expect(text(f.eq('Account/Name', 'x'))).toBe("Account/Name eq 'x'");
  });

  it('carries a bad value to a VALIDATION_ERROR instead of throwing, naming no value', () => {
    expect(problem(f.eq('ID', f.guid("x' or 1 eq 1 or ID eq '")))).toMatch(/must be a GUID/);
    expect(problem(f.eq('Name eq 1 or Name', 'x'))).toMatch(/field name/);
    expect(problem(f.gt('Amount', Number.NaN))).toMatch(/finite number/);
    expect(problem(f.gt('Amount', 1e21))).toMatch(/exponent/);
    expect(problem(f.gt('Modified', new Date('nope')))).toMatch(/valid date/);
    expect(problem(f.gt('Modified', f.datetime('not a date')))).toMatch(/valid date/);
    expect(problem(f.gt('Timestamp', f.int64('9223372036854775808')))).toMatch(/Int64/);
    expect(problem(f.gt('Timestamp', f.int64(1.5)))).toMatch(/Int64/);
    expect(problem(f.eq('Name', 'x'.repeat(2_001)))).toMatch(/at most/);
    expect(problem(f.and())).toMatch(/at least one/);
    expect(problem(f.and(f.eq('A', 1), f.eq('B', f.guid('no'))))).toMatch(/GUID/);
    expect(problem(f.and('A eq 1' as never))).toMatch(/only exactFilter/);
    expect(problem(f.not('A eq 1' as never))).toMatch(/exactFilter/);
    expect(problem("Name eq 'x'")).toMatch(/made with exactFilter/);
    expect(problem(f.eq('Name', { toString: () => "' or 1 eq 1" } as never))).toMatch(/must be text/);
  });

  it('never throws on hostile values', () => {
    for (const [, value] of hostileValues()) {
      for (const build of [
        () => f.eq(value as never, value as never),
        () => f.startsWith('Name', value as never),
        () => f.guid(value as never),
        () => f.datetime(value as never),
        () => f.int64(value as never),
        () => f.and(value as never),
        () => f.not(value as never),
        () => renderExactFilter(value),
      ]) {
        expect(build).not.toThrow();
      }
    }
  });

  it('knows field names', () => {
    expect(isExactFieldName('Name')).toBe(true);
    expect(isExactFieldName('Account/Name')).toBe(true);
    for (const name of ['', '1a', 'a b', 'a/b/c', "Name'", 'a,b', '*'])
      expect(isExactFieldName(name)).toBe(false);
  });
});
