// Prints expressions back as HogQL, the way PostHog's HogQL-dialect printer does (`posthog/hogql/printer/hogql.py`
// and the shared base printer): operators become their function names (`equals(event, 'x')`, `plus(1, 2)`,
// `and(a, b)`), identifiers are backtick-escaped when they are not plain (`escape_hogql_identifier`), strings are
// single-quoted with backslash escapes (`escape_hogql_string`). PostHog names a result column after this text
// when the column has no alias, so `columns` of a response read like the real ones.
import type { CompareOp, ConstantValue, Expr, OrderExpr, SelectQuery } from './hogql-ast.ts';

const COMPARE_NAMES: Record<CompareOp, string> = {
  eq: 'equals',
  notEq: 'notEquals',
  lt: 'less',
  ltEq: 'lessOrEquals',
  gt: 'greater',
  gtEq: 'greaterOrEquals',
  like: 'like',
  notLike: 'notLike',
  ilike: 'ilike',
  notILike: 'notILike',
  in: 'in',
  notIn: 'notIn',
  regex: 'match',
  notRegex: 'match',
  iregex: 'match',
  notIRegex: 'match',
};

const STRING_ESCAPES: Record<string, string> = {
  '\b': '\\b',
  '\f': '\\f',
  '\r': '\\r',
  '\n': '\\n',
  '\t': '\\t',
  '\0': '\\0',
  '\x07': '\\a',
  '\v': '\\v',
  '\\': '\\\\',
  "'": "\\'",
};

/** A string literal as HogQL prints it. */
export function escapeHogQLString(value: string): string {
  return `'${[...value].map((c) => STRING_ESCAPES[c] ?? c).join('')}'`;
}

/** An identifier as HogQL prints it: bare when plain, else in backticks. */
export function escapeHogQLIdentifier(name: string | number): string {
  if (typeof name === 'number') return String(name);
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) return name;
  const body = [...name].map((c) => (c === '`' ? '\\`' : c === "'" ? c : (STRING_ESCAPES[c] ?? c))).join('');
  return `\`${body}\``;
}

function printConstant(value: ConstantValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHogQLString(value);
  return `[${value.map(printConstant).join(', ')}]`;
}

// The regex operators print as PostHog's test_printer `test_comparisons` shows them: `=~` is match(), `!~` its
// negation, and the case-insensitive forms prefix the pattern with `(?i)`.
function printCompare(op: CompareOp, left: string, right: string): string {
  switch (op) {
    case 'notRegex':
      return `not(match(${left}, ${right}))`;
    case 'iregex':
      return `match(${left}, concat('(?i)', ${right}))`;
    case 'notIRegex':
      return `not(match(${left}, concat('(?i)', ${right})))`;
    default:
      return `${COMPARE_NAMES[op]}(${left}, ${right})`;
  }
}

/** One expression as HogQL. */
export function printHogQLExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'constant':
      return printConstant(expr.value);
    case 'field':
      return expr.chain.map(escapeHogQLIdentifier).join('.');
    case 'call': {
      const args = `${expr.distinct ? 'DISTINCT ' : ''}${expr.args.map(printHogQLExpr).join(', ')}`;
      const params = expr.params === null ? '' : `(${expr.params.map(printHogQLExpr).join(', ')})`;
      return `${expr.name}${params}(${args})`;
    }
    case 'compare':
      return printCompare(expr.op, printHogQLExpr(expr.left), printHogQLExpr(expr.right));
    case 'arithmetic':
      return `${expr.op}(${printHogQLExpr(expr.left)}, ${printHogQLExpr(expr.right)})`;
    case 'and':
    case 'or':
      return `${expr.kind}(${expr.exprs.map(printHogQLExpr).join(', ')})`;
    case 'not':
      return `not(${printHogQLExpr(expr.expr)})`;
    case 'alias':
      return `${printHogQLExpr(expr.expr)} AS ${escapeHogQLIdentifier(expr.alias)}`;
    case 'tuple':
      return `tuple(${expr.exprs.map(printHogQLExpr).join(', ')})`;
    case 'array':
      return `[${expr.exprs.map(printHogQLExpr).join(', ')}]`;
    case 'between':
      return `${printHogQLExpr(expr.expr)} ${expr.negated ? 'NOT ' : ''}BETWEEN ${printHogQLExpr(expr.low)} AND ${printHogQLExpr(expr.high)}`;
    case 'arrayAccess':
      return `${printHogQLExpr(expr.array)}[${printHogQLExpr(expr.index)}]`;
    case 'asterisk':
      return '*';
    case 'placeholder':
      return `{${expr.name}}`;
  }
}

const printOrder = (item: OrderExpr): string =>
  `${printHogQLExpr(item.expr)} ${item.order}${item.nulls === null ? '' : ` NULLS ${item.nulls}`}`;

/** A whole `SELECT` as HogQL on one line: the `hogql` field of a response. */
export function printHogQLSelect(query: SelectQuery): string {
  const parts = [`SELECT ${query.distinct ? 'DISTINCT ' : ''}${query.select.map(printHogQLExpr).join(', ')}`];
  if (query.from !== null) {
    parts.push(`FROM ${query.from.table}${query.from.alias === null ? '' : ` AS ${query.from.alias}`}`);
  }
  if (query.where !== null) parts.push(`WHERE ${printHogQLExpr(query.where)}`);
  if (query.groupBy !== null) parts.push(`GROUP BY ${query.groupBy.map(printHogQLExpr).join(', ')}`);
  if (query.having !== null) parts.push(`HAVING ${printHogQLExpr(query.having)}`);
  if (query.orderBy !== null) parts.push(`ORDER BY ${query.orderBy.map(printOrder).join(', ')}`);
  if (query.limit !== null) parts.push(`LIMIT ${printHogQLExpr(query.limit)}`);
  if (query.offset !== null) parts.push(`OFFSET ${printHogQLExpr(query.offset)}`);
  return parts.join(' ');
}
