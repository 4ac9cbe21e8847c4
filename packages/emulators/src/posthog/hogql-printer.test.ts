import { describe, expect, it } from 'vitest';
import { escapeHogQLIdentifier, escapeHogQLString, printHogQLExpr } from './hogql-printer.ts';

describe('escapeHogQLString', () => {
  it('quotes with backslash escapes, as escape_hogql_string does', () => {
    expect(escapeHogQLString("it's")).toBe("'it\\'s'");
    expect(escapeHogQLString('a\\b\nc\td')).toBe("'a\\\\b\\nc\\td'");
  });
});

describe('escapeHogQLIdentifier', () => {
  it('leaves plain names bare (with $) and backticks the rest', () => {
    expect(escapeHogQLIdentifier('$browser')).toBe('$browser');
    expect(escapeHogQLIdentifier('my key')).toBe('`my key`');
    expect(escapeHogQLIdentifier('a`b')).toBe('`a\\`b`');
    expect(escapeHogQLIdentifier(2)).toBe('2');
  });
});

describe('printHogQLExpr', () => {
  it('prints operators as their function names, the way PostHog names result columns', () => {
    expect(
      printHogQLExpr({
        kind: 'and',
        exprs: [
          {
            kind: 'compare',
            op: 'gtEq',
            left: { kind: 'field', chain: ['timestamp'] },
            right: { kind: 'constant', value: '2026-01-01' },
          },
          { kind: 'not', expr: { kind: 'field', chain: ['properties', 'is bot'] } },
        ],
      }),
    ).toBe("and(greaterOrEquals(timestamp, '2026-01-01'), not(properties.`is bot`))");
    expect(
      printHogQLExpr({
        kind: 'arithmetic',
        op: 'divide',
        left: { kind: 'constant', value: 1 },
        right: { kind: 'constant', value: 2.5 },
      }),
    ).toBe('divide(1, 2.5)');
    expect(printHogQLExpr({ kind: 'constant', value: [1, 'a', null, true] })).toBe("[1, 'a', NULL, true]");
  });
});
