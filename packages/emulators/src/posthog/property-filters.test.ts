import { describe, expect, it } from 'vitest';
import type { HogQLError } from './hogql-ast.ts';
import { printHogQLExpr } from './hogql-printer.ts';
import { propertiesToExpr } from './property-filters.ts';

const NOW = Date.parse('2026-12-09T12:00:00Z') * 1000;
const printed = (properties: unknown) => printHogQLExpr(propertiesToExpr(properties, NOW));
const event = (operator: string | undefined, value: unknown, key = '$browser') => ({
  key,
  value,
  operator,
  type: 'event',
});

describe('propertiesToExpr', () => {
  it.each([
    [event(undefined, 'Chrome'), "equals(properties.$browser, 'Chrome')"],
    [event('exact', ['Chrome']), "equals(properties.$browser, 'Chrome')"],
    [event('exact', ['Chrome', 'Safari']), "in(properties.$browser, tuple('Chrome', 'Safari'))"],
    [event('is_not', ['Chrome', 'Safari']), "notIn(properties.$browser, tuple('Chrome', 'Safari'))"],
    [event('exact', true), "equals(properties.$browser, 'true')"],
    [event('is_not', 'Chrome'), "notEquals(properties.$browser, 'Chrome')"],
    [event('icontains', 'chr'), "ilike(toString(properties.$browser), '%chr%')"],
    [event('not_icontains', 'chr'), "notILike(toString(properties.$browser), '%chr%')"],
    [
      event('icontains', ['a', 'b']),
      "or(ilike(toString(properties.$browser), '%a%'), ilike(toString(properties.$browser), '%b%'))",
    ],
    [event('regex', '^C'), "ifNull(match(toString(properties.$browser), '^C'), 0)"],
    [event('not_regex', '^C'), "ifNull(not(match(toString(properties.$browser), '^C')), 1)"],
    [event('gt', 5, 'amount'), 'greater(properties.amount, 5)'],
    [event('lte', 5, 'amount'), 'lessOrEquals(properties.amount, 5)'],
    [event('is_set', null), 'notEquals(properties.$browser, NULL)'],
    [event('is_not_set', null), 'equals(properties.$browser, NULL)'],
    [
      event('between', [1, 5], 'amount'),
      'and(greaterOrEquals(properties.amount, 1), lessOrEquals(properties.amount, 5))',
    ],
    [event('in', ['a', 'b']), "in(properties.$browser, ['a', 'b'])"],
    [
      event('is_date_before', '-1d', 'at'),
      "less(toDateTime(toString(properties.at)), toDateTime('2026-12-08 12:00:00'))",
    ],
    [event('exact', []), '1'],
    [
      { key: 'event', value: 'purchase', operator: 'exact', type: 'event_metadata' },
      "equals(event, 'purchase')",
    ],
    [
      { key: "properties.amount > 3 AND event = 'x'", type: 'hogql' },
      "and(greater(properties.amount, 3), equals(event, 'x'))",
    ],
    [{}, '1'],
  ])('%j', (filter, expected) => {
    expect(printed(filter)).toBe(expected);
  });

  it('joins lists with AND and reads nested property groups', () => {
    expect(printed([event('exact', 'a'), event('gt', 1, 'n')])).toBe(
      "and(equals(properties.$browser, 'a'), greater(properties.n, 1))",
    );
    expect(
      printed({
        type: 'AND',
        values: [
          { type: 'OR', values: [event('exact', 'a'), event('exact', 'b')] },
          { type: 'AND', values: [] },
        ],
      }),
    ).toBe("and(or(equals(properties.$browser, 'a'), equals(properties.$browser, 'b')), 1)");
  });

  it('keeps a hostile value a constant', () => {
    const expr = propertiesToExpr(event('exact', "x') OR 1=1 --"), NOW);
    expect(expr).toMatchObject({ kind: 'compare', right: { kind: 'constant', value: "x') OR 1=1 --" } });
  });

  it('refuses what the emulator cannot evaluate, naming it', () => {
    const errorOf = (filter: unknown) => {
      try {
        propertiesToExpr(filter, NOW);
      } catch (error) {
        return error as HogQLError;
      }
      throw new Error('expected an error');
    };
    expect(errorOf({ key: 'email', value: 'a', type: 'person' }).message).toMatch(/keeps no persons/);
    expect(errorOf({ key: 'id', value: 1, type: 'cohort' }).message).toMatch(/type "cohort"/);
    expect(errorOf(event('semver_gt', '1.0.0')).message).toMatch(/semver_gt not implemented/);
    expect(errorOf(event('between', [5, 1], 'n')).message).toMatch(/min value to be less than or equal/);
    expect(errorOf({ value: 1, type: 'event' }).code).toBe('parse_error');
  });
});
