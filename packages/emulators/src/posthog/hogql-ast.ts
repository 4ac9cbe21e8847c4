// The HogQL syntax tree the emulator parses into and evaluates. Shapes follow PostHog's own `posthog/hogql/ast.py`
// (Constant, Field, Call, CompareOperation, ArithmeticOperation, And, Or, Not, Alias, Tuple, Array, Placeholder,
// SelectQuery, OrderExpr), reduced to what the emulator runs; errors follow `posthog/hogql/errors.py`.

/** A comparison as PostHog's `ast.CompareOperationOp` names it. */
export type CompareOp =
  | 'eq'
  | 'notEq'
  | 'lt'
  | 'ltEq'
  | 'gt'
  | 'gtEq'
  | 'like'
  | 'notLike'
  | 'ilike'
  | 'notILike'
  | 'in'
  | 'notIn'
  | 'regex'
  | 'notRegex'
  | 'iregex'
  | 'notIRegex';

/** `+ - * / %` as PostHog's `ast.ArithmeticOperationOp`. */
export type ArithmeticOp = 'plus' | 'minus' | 'multiply' | 'divide' | 'modulo';

/** A literal: HogQL's `ast.Constant` holds these (a list from a placeholder value is an array constant). */
export type ConstantValue = null | boolean | number | string | readonly ConstantValue[];

/** Where a node sits in the query text, for error messages. */
export interface Span {
  start?: number;
  end?: number;
}

/** One HogQL expression. */
export type Expr =
  | ({ kind: 'constant'; value: ConstantValue } & Span)
  | ({ kind: 'field'; chain: (string | number)[] } & Span)
  | ({ kind: 'call'; name: string; args: Expr[]; distinct: boolean; params: Expr[] | null } & Span)
  | ({ kind: 'compare'; op: CompareOp; left: Expr; right: Expr } & Span)
  | ({ kind: 'arithmetic'; op: ArithmeticOp; left: Expr; right: Expr } & Span)
  | ({ kind: 'and'; exprs: Expr[] } & Span)
  | ({ kind: 'or'; exprs: Expr[] } & Span)
  | ({ kind: 'not'; expr: Expr } & Span)
  | ({ kind: 'alias'; alias: string; expr: Expr } & Span)
  | ({ kind: 'tuple'; exprs: Expr[] } & Span)
  | ({ kind: 'array'; exprs: Expr[] } & Span)
  | ({ kind: 'between'; expr: Expr; low: Expr; high: Expr; negated: boolean } & Span)
  | ({ kind: 'arrayAccess'; array: Expr; index: Expr } & Span)
  | ({ kind: 'asterisk' } & Span)
  | ({ kind: 'placeholder'; name: string } & Span);

/** One `ORDER BY` item. */
export interface OrderExpr {
  expr: Expr;
  order: 'ASC' | 'DESC';
  nulls: 'FIRST' | 'LAST' | null;
}

/** `SELECT … FROM <table>`: the emulator reads one table, `events`, optionally aliased. */
export interface TableRef {
  table: string;
  alias: string | null;
  start?: number;
}

/** One `SELECT` statement (no joins, subqueries, CTEs or set operations: those are refused at parse time). */
export interface SelectQuery {
  kind: 'select';
  distinct: boolean;
  select: Expr[];
  from: TableRef | null;
  where: Expr | null;
  groupBy: Expr[] | null;
  having: Expr | null;
  orderBy: OrderExpr[] | null;
  limit: Expr | null;
  offset: Expr | null;
}

/**
 * The codes PostHog's query API puts in a 400's `code`: `code_name` of the HogQL errors (`posthog/hogql/errors.py`),
 * and `parse_error` for a query node that fails the schema (`PydanticModelMixin.get_model` raises DRF's ParseError).
 */
export type HogQLErrorCode = 'hogql_syntax_error' | 'hogql_query_error' | 'hogql_error' | 'parse_error';

/**
 * An error the query API shows the caller as a 400 (`ExposedHogQLError`). Thrown inside the engine only;
 * `runPostHogQuery` turns it into a result and never throws.
 */
export class HogQLError extends Error {
  readonly code: HogQLErrorCode;
  readonly start: number | undefined;
  readonly end: number | undefined;

  constructor(code: HogQLErrorCode, message: string, span?: Span) {
    super(message);
    this.name = 'HogQLError';
    this.code = code;
    this.start = span?.start;
    this.end = span?.end;
  }
}

/** A `SyntaxError` in PostHog's terms: the text is not HogQL. */
export const syntaxError = (message: string, span?: Span): HogQLError =>
  new HogQLError('hogql_syntax_error', message, span);

/** A `QueryError` in PostHog's terms: valid syntax, invalid query (or outside what the emulator runs). */
export const queryError = (message: string, span?: Span): HogQLError =>
  new HogQLError('hogql_query_error', message, span);

/** A query node that does not validate: DRF's ParseError, whose detail starts "JSON parse error - ". */
export const parseError = (message: string): HogQLError =>
  new HogQLError('parse_error', `JSON parse error - ${message}`);

/** The sentence every emulator-only refusal ends with, so a caller can tell it from PostHog's own errors. */
export const EMULATOR_LIMIT = 'The PostHog emulator runs SELECT on the events table only';

/** Every node of `expr`, depth first, the node itself first. */
export function* walkExpr(expr: Expr): Generator<Expr> {
  yield expr;
  switch (expr.kind) {
    case 'call':
      for (const arg of expr.params ?? []) yield* walkExpr(arg);
      for (const arg of expr.args) yield* walkExpr(arg);
      return;
    case 'compare':
    case 'arithmetic':
      yield* walkExpr(expr.left);
      yield* walkExpr(expr.right);
      return;
    case 'and':
    case 'or':
    case 'tuple':
    case 'array':
      for (const item of expr.exprs) yield* walkExpr(item);
      return;
    case 'not':
    case 'alias':
      yield* walkExpr(expr.expr);
      return;
    case 'between':
      yield* walkExpr(expr.expr);
      yield* walkExpr(expr.low);
      yield* walkExpr(expr.high);
      return;
    case 'arrayAccess':
      yield* walkExpr(expr.array);
      yield* walkExpr(expr.index);
      return;
    default:
      return;
  }
}

/** A copy of `expr` with every node passed through `map` first (a node `map` returns unchanged is descended). */
export function mapExpr(expr: Expr, map: (node: Expr) => Expr): Expr {
  const mapped = map(expr);
  if (mapped !== expr) return mapped;
  const recur = (node: Expr) => mapExpr(node, map);
  switch (expr.kind) {
    case 'call':
      return { ...expr, args: expr.args.map(recur), params: expr.params?.map(recur) ?? null };
    case 'compare':
    case 'arithmetic':
      return { ...expr, left: recur(expr.left), right: recur(expr.right) };
    case 'and':
    case 'or':
    case 'tuple':
    case 'array':
      return { ...expr, exprs: expr.exprs.map(recur) };
    case 'not':
    case 'alias':
      return { ...expr, expr: recur(expr.expr) };
    case 'between':
      return { ...expr, expr: recur(expr.expr), low: recur(expr.low), high: recur(expr.high) };
    case 'arrayAccess':
      return { ...expr, array: recur(expr.array), index: recur(expr.index) };
    default:
      return expr;
  }
}
