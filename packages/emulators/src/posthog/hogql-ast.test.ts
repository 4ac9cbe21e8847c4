import { describe, expect, it } from 'vitest';
import {
  type Expr,
  HogQLError,
  mapExpr,
  parseError,
  queryError,
  syntaxError,
  walkExpr,
} from './hogql-ast.ts';

const tree: Expr = {
  kind: 'call',
  name: 'if',
  args: [
    {
      kind: 'compare',
      op: 'eq',
      left: { kind: 'field', chain: ['event'] },
      right: { kind: 'placeholder', name: 'e' },
    },
    { kind: 'constant', value: 1 },
    {
      kind: 'between',
      expr: { kind: 'field', chain: ['x'] },
      low: { kind: 'constant', value: 0 },
      high: { kind: 'constant', value: 2 },
      negated: false,
    },
  ],
  distinct: false,
  params: null,
};

describe('walkExpr and mapExpr', () => {
  it('visit every node', () => {
    expect([...walkExpr(tree)].map((node) => node.kind)).toEqual([
      'call',
      'compare',
      'field',
      'placeholder',
      'constant',
      'between',
      'field',
      'constant',
      'constant',
    ]);
  });

  it('replace nodes without touching the original', () => {
    const bound = mapExpr(tree, (node) =>
      node.kind === 'placeholder' ? { kind: 'constant', value: 'x' } : node,
    );
    expect([...walkExpr(bound)].some((node) => node.kind === 'placeholder')).toBe(false);
    expect([...walkExpr(tree)].some((node) => node.kind === 'placeholder')).toBe(true);
  });
});

describe('errors', () => {
  it('carry PostHog code names and positions', () => {
    expect(syntaxError('bad', { start: 1, end: 2 })).toMatchObject({
      code: 'hogql_syntax_error',
      start: 1,
      end: 2,
    });
    expect(queryError('bad')).toBeInstanceOf(HogQLError);
    expect(parseError('x')).toMatchObject({ code: 'parse_error', message: 'JSON parse error - x' });
  });
});
