// PostHog's property filters (`EventPropertyFilter`, `HogQLPropertyFilter`, `PropertyGroupFilter` …) as HogQL
// expressions, as `property_to_expr` and `_expr_to_compare_op` build them in `posthog/hogql/property.py`: `exact`
// is `=`, `is_not` is `!=`, `icontains` is `toString(x) ILIKE '%v%'`, `regex` is `ifNull(match(toString(x), v), 0)`,
// `is_set` is `x != NULL`; a list value means IN for exact/is_not and OR (AND for the negative operators) otherwise.
// Values become constant nodes, so a filter value can never change the query's shape.
import { type ConstantValue, EMULATOR_LIMIT, type Expr, parseError, queryError } from './hogql-ast.ts';
import { parseHogQLExpr } from './hogql-parser.ts';
import { formatDateTimeSql } from './hogql-values.ts';
import { parseRelativeDate } from './relative-dates.ts';

const TRUE: Expr = { kind: 'constant', value: 1 };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const constantOf = (value: ConstantValue): Expr => ({ kind: 'constant', value });

const call = (name: string, ...args: Expr[]): Expr => ({
  kind: 'call',
  name,
  args,
  distinct: false,
  params: null,
});

/** PostHog's PropertyOperator values the emulator evaluates. */
export const PROPERTY_OPERATORS = [
  'exact',
  'is_not',
  'icontains',
  'not_icontains',
  'icontains_multi',
  'not_icontains_multi',
  'regex',
  'not_regex',
  'gt',
  'gte',
  'lt',
  'lte',
  'min',
  'max',
  'is_set',
  'is_not_set',
  'is_date_exact',
  'is_date_before',
  'is_date_after',
  'between',
  'not_between',
  'in',
  'not_in',
  'is_cleaned_path_exact',
] as const;

type Operator = (typeof PROPERTY_OPERATORS)[number];

function scalarValue(value: unknown): ConstantValue {
  // _handle_bool_values: booleans are compared as 'true'/'false' (and the emulator compares those with boolean
  // properties as PostHog does once the property is typed Boolean).
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw parseError(`a property filter value must be a string, a number, a boolean or a list of those`);
}

function resolveDateValue(value: ConstantValue, nowUs: number): ConstantValue {
  if (typeof value === 'string' && /^-?[0-9]+[hdwmqysHDWMQY]/.test(value)) {
    return formatDateTimeSql(parseRelativeDate(value, nowUs).us, 0);
  }
  return value;
}

function compareFor(field: Expr, value: unknown, operator: Operator, nowUs: number): Expr {
  const compare = (op: Extract<Expr, { kind: 'compare' }>['op'], left: Expr, right: Expr): Expr => ({
    kind: 'compare',
    op,
    left,
    right,
  });
  const asText = call('toString', field);
  const contains = (item: unknown) => constantOf(`%${String(scalarValue(item))}%`);
  const forceDateTime = (expr: Expr) =>
    call('toDateTime', expr.kind === 'constant' ? expr : call('toString', expr));
  switch (operator) {
    case 'is_set':
      return compare('notEq', field, constantOf(null));
    case 'is_not_set':
      return compare('eq', field, constantOf(null));
    case 'icontains':
    case 'not_icontains': {
      const items = Array.isArray(value) ? value : [value];
      const negated = operator === 'not_icontains';
      const parts = items.map((item) => compare(negated ? 'notILike' : 'ilike', asText, contains(item)));
      if (parts.length === 1) return parts[0]!;
      return negated ? { kind: 'and', exprs: parts } : { kind: 'or', exprs: parts };
    }
    case 'icontains_multi':
    case 'not_icontains_multi':
      return compareFor(
        field,
        Array.isArray(value) ? value : [value],
        operator === 'icontains_multi' ? 'icontains' : 'not_icontains',
        nowUs,
      );
    case 'regex':
      return call('ifNull', call('match', asText, constantOf(scalarValue(value))), constantOf(0));
    case 'not_regex':
      return call(
        'ifNull',
        call('not', call('match', asText, constantOf(scalarValue(value)))),
        constantOf(1),
      );
    case 'exact':
    case 'is_cleaned_path_exact':
      return compare('eq', field, constantOf(scalarValue(value)));
    case 'is_not':
      return compare('notEq', field, constantOf(scalarValue(value)));
    case 'lt':
      return compare('lt', field, constantOf(scalarValue(value)));
    case 'gt':
      return compare('gt', field, constantOf(scalarValue(value)));
    case 'lte':
    case 'max':
      return compare('ltEq', field, constantOf(scalarValue(value)));
    case 'gte':
    case 'min':
      return compare('gtEq', field, constantOf(scalarValue(value)));
    case 'is_date_exact':
    case 'is_date_before':
    case 'is_date_after': {
      const op = operator === 'is_date_exact' ? 'eq' : operator === 'is_date_before' ? 'lt' : 'gt';
      return compare(
        op,
        forceDateTime(field),
        forceDateTime(constantOf(resolveDateValue(scalarValue(value), nowUs))),
      );
    }
    case 'between':
    case 'not_between': {
      if (!Array.isArray(value) || value.length !== 2) {
        throw queryError(`${operator} operator requires a two-element array [min, max]`);
      }
      const [low, high] = value.map(Number);
      if (Number.isNaN(low) || Number.isNaN(high))
        throw queryError(`${operator} operator requires numeric values`);
      if (low! > high!)
        throw queryError(`${operator} operator requires min value to be less than or equal to max value`);
      return operator === 'between'
        ? {
            kind: 'and',
            exprs: [compare('gtEq', field, constantOf(low!)), compare('ltEq', field, constantOf(high!))],
          }
        : {
            kind: 'or',
            exprs: [compare('lt', field, constantOf(low!)), compare('gt', field, constantOf(high!))],
          };
    }
    case 'in':
    case 'not_in': {
      if (!Array.isArray(value)) throw queryError('IN and NOT IN operators require a list of values');
      return compare(operator === 'in' ? 'in' : 'notIn', field, {
        kind: 'array',
        exprs: value.map((v) => constantOf(scalarValue(v))),
      });
    }
  }
}

function fieldFor(filter: Record<string, unknown>): Expr {
  const type = filter.type ?? 'event';
  const key = filter.key;
  if (typeof key !== 'string') throw parseError(`a ${String(type)} property filter needs a string "key"`);
  switch (type) {
    case 'event':
      return key === '$elements_chain'
        ? { kind: 'field', chain: ['elements_chain'] }
        : { kind: 'field', chain: ['properties', key] };
    case 'event_metadata':
      return { kind: 'field', chain: [key] };
    case 'person':
      throw queryError(
        `Person property filters are not supported: the PostHog emulator keeps no persons (filter on "${key}"). ${EMULATOR_LIMIT}.`,
      );
    default:
      throw queryError(`Property filters of type "${String(type)}" are not supported. ${EMULATOR_LIMIT}.`);
  }
}

function filterToExpr(filter: Record<string, unknown>, nowUs: number): Expr {
  if (Object.keys(filter).length === 0) return TRUE; // EmptyPropertyFilter
  if (filter.type === 'hogql') {
    if (typeof filter.key !== 'string') throw parseError('a hogql property filter needs a string "key"');
    return parseHogQLExpr(filter.key);
  }
  const operator = (filter.operator ?? 'exact') as string;
  if (!(PROPERTY_OPERATORS as readonly string[]).includes(operator)) {
    throw queryError(`PropertyOperator ${operator} not implemented by the PostHog emulator`);
  }
  const field = fieldFor(filter);
  let value = filter.value;
  const op = operator as Operator;
  const listAware =
    op === 'between' ||
    op === 'not_between' ||
    op === 'icontains' ||
    op === 'not_icontains' ||
    op === 'in' ||
    op === 'not_in';
  if (Array.isArray(value) && !listAware) {
    if (value.length === 0) return TRUE;
    if (value.length === 1) value = value[0];
    else if (op === 'exact' || op === 'is_not') {
      return {
        kind: 'compare',
        op: op === 'exact' ? 'in' : 'notIn',
        left: field,
        right: { kind: 'tuple', exprs: value.map((v) => constantOf(scalarValue(v))) },
      };
    } else {
      const parts = value.map((v) => compareFor(field, v, op, nowUs));
      return op === 'not_regex' ? { kind: 'and', exprs: parts } : { kind: 'or', exprs: parts };
    }
  }
  return compareFor(field, value, op, nowUs);
}

/**
 * A HogQL condition for PostHog property filters: a list (all must hold), a `PropertyGroupFilter` (`{ type: 'AND' |
 * 'OR', values }`, nested), or one filter. Throws a `HogQLError` for filters the emulator cannot evaluate.
 */
export function propertiesToExpr(properties: unknown, nowUs: number): Expr {
  if (properties === null || properties === undefined) return TRUE;
  if (Array.isArray(properties)) {
    const parts = properties.map((item) => propertiesToExpr(item, nowUs));
    if (parts.length === 0) return TRUE;
    return parts.length === 1 ? parts[0]! : { kind: 'and', exprs: parts };
  }
  if (!isObject(properties))
    throw parseError('properties must be a list of property filters or a property group');
  if ((properties.type === 'AND' || properties.type === 'OR') && Array.isArray(properties.values)) {
    const parts = properties.values.map((item) => propertiesToExpr(item, nowUs));
    if (parts.length === 0) return TRUE;
    if (parts.length === 1) return parts[0]!;
    return properties.type === 'AND' ? { kind: 'and', exprs: parts } : { kind: 'or', exprs: parts };
  }
  return filterToExpr(properties, nowUs);
}
