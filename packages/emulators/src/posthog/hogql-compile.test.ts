import { describe, expect, it } from 'vitest';
import type { EventRow } from './event-store.ts';
import { HogQLError } from './hogql-ast.ts';
import {
  ASTERISK_COLUMNS,
  arithmetic,
  type CompileScope,
  compileEventField,
  compileExpr,
} from './hogql-compile.ts';
import { parseHogQLExpr } from './hogql-parser.ts';
import { dateTimeValue, dateValue, toJson } from './hogql-values.ts';

const scope: CompileScope = {
  now: 0,
  teamId: 3,
  hasTable: true,
  tableNames: new Set(['events']),
  clause: 'SELECT',
};
const row: EventRow = {
  uuid: 'u-1',
  event: 'e',
  distinctId: 'd',
  personId: 'p',
  timestamp: dateTimeValue(Date.parse('2026-01-31T10:00:00Z') * 1000),
  createdAt: dateTimeValue(0),
  properties: { n: 4, s: 'x', b: false },
  elementsChain: '',
  sessionId: '',
  windowId: '',
};

function evaluate(text: string): unknown {
  const compiled = compileExpr(
    parseHogQLExpr(text),
    {
      scope,
      field: (field) => compileEventField(field.chain, scope, field),
      aggregate: () => {
        throw new Error('no aggregations here');
      },
    },
    { now: Date.parse('2026-02-01T00:00:00Z') * 1000 },
  );
  return toJson(compiled.fn(row));
}

describe('compileEventField', () => {
  it('reads columns, properties and team_id, and strips a table prefix', () => {
    expect(evaluate('events.event')).toBe('e');
    expect(evaluate('team_id')).toBe(3);
    expect(evaluate('properties.n')).toBe(4);
    expect(evaluate('properties')).toBe('{"n":4,"s":"x","b":false}');
    expect(evaluate('person.id')).toBe('p');
    expect(evaluate('person_mode')).toBe('full');
    expect(ASTERISK_COLUMNS).not.toContain('team_id');
  });

  it('refuses fields that do not exist, and any field when there is no table', () => {
    expect(() => compileEventField(['nope'], scope, {})).toThrow(HogQLError);
    expect(() => compileEventField(['event'], { ...scope, hasTable: false }, {})).toThrow(
      /Unable to resolve field: event/,
    );
  });
});

describe('compiled expressions', () => {
  it('follow HogQL null handling in comparisons', () => {
    expect(evaluate('properties.missing = NULL')).toBe(1);
    expect(evaluate("properties.missing != 'x'")).toBe(1);
    expect(evaluate('properties.missing > 1')).toBe(0);
    expect(evaluate("properties.missing NOT IN ('x')")).toBe(1);
    expect(evaluate("properties.missing IN ('x')")).toBe(0);
    expect(evaluate('properties.missing IN (NULL)')).toBe(1);
  });

  it('do date arithmetic with intervals, numbers and other dates', () => {
    expect(evaluate('timestamp + INTERVAL 1 MONTH')).toBe('2026-02-28T10:00:00Z');
    expect(evaluate('timestamp - 3600')).toBe('2026-01-31T09:00:00Z');
    expect(evaluate('now() - timestamp')).toBe(14 * 3600);
    expect(evaluate('toDate(timestamp) + 1')).toBe('2026-02-01');
    expect(evaluate('1 / 0')).toBeNull();
  });

  it('reads equals()/plus()/and() written as functions, as PostHog prints them', () => {
    expect(evaluate("and(equals(event, 'e'), greater(plus(properties.n, 1), 4))")).toBe(1);
  });

  it('fold constant calls once', () => {
    expect(evaluate("toDateTime('2026-01-01') < timestamp")).toBe(1);
  });

  it('refuse bad arithmetic with ClickHouse-like messages', () => {
    expect(() => arithmetic('plus', 'abc', 1)).toThrow(
      /Illegal types of arguments \(String, Int64\) of function plus/,
    );
    expect(() => arithmetic('modulo', 1, 0)).toThrow(/Division by zero/);
    expect(toJson(arithmetic('minus', dateValue(10), dateValue(3)))).toBe(7);
  });
});
