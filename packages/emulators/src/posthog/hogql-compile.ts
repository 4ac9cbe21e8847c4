// Turns HogQL expressions into closures over event rows (or over groups, for aggregated queries), resolving fields
// against the `events` table as PostHog's resolver does (`posthog/hogql/resolver.py`, table from
// `posthog/hogql/database/schema/events.py`) and comparing with HogQL's null handling (the ClickHouse printer wraps
// comparisons: `=` and `!=` treat NULL as a value, `<` and LIKE with a NULL are false, NOT LIKE and NOT IN with a
// NULL are true; `posthog/hogql/printer/clickhouse.py` visit_compare_operation).

import { type EventRow, propertiesJsonOf } from './event-store.ts';
import {
  type ArithmeticOp,
  type CompareOp,
  type ConstantValue,
  type Expr,
  queryError,
  type Span,
} from './hogql-ast.ts';
import {
  AGGREGATE_FUNCTIONS,
  type AggregateFunction,
  DATETIME64,
  type FunctionContext,
  likePattern,
  lookupAggregate,
  lookupScalar,
  re2,
  SCALAR_FUNCTIONS,
} from './hogql-functions.ts';
import { printHogQLExpr } from './hogql-printer.ts';
import {
  addInterval,
  compareNonNull,
  dateTimeValue,
  dateValue,
  isDate,
  isDateTime,
  isInterval,
  parseDateTimeText,
  readProperty,
  toNumber,
  toText,
  truthy,
  US_PER_DAY,
  US_PER_SECOND,
  type Value,
  valuesEqual,
} from './hogql-values.ts';

/** A compiled expression: its value for a context, its ClickHouse type, and whether it reads no row. */
export interface Compiled<C> {
  fn: (context: C) => Value;
  type: string;
  constant: boolean;
}

/** What the compiler knows about the query around an expression. */
export interface CompileScope {
  /** `now()` of the query, microseconds since the epoch. */
  now: number;
  teamId: number;
  /** Whether the query reads the events table (`SELECT 1` reads none). */
  hasTable: boolean;
  /** Names a field chain may start with to name the table: `events` and the FROM alias. */
  tableNames: ReadonlySet<string>;
  /** The clause being compiled (WHERE, HAVING, …), for messages. */
  clause: string;
}

/** How leaves compile in a given mode: field references, and aggregations. */
export interface CompileEnv<C> {
  scope: CompileScope;
  field: (expr: Extract<Expr, { kind: 'field' }>) => Compiled<C>;
  aggregate: (expr: Extract<Expr, { kind: 'call' }>, fn: AggregateFunction) => Compiled<C>;
  /** Runs before anything else; a result short-circuits compilation (group keys in aggregated queries). */
  intercept?: (expr: Expr) => Compiled<C> | undefined;
}

interface Column {
  type: string;
  read: (row: EventRow, teamId: number) => Value;
}

const EMPTY: readonly Value[] = [];

/** The columns of the `events` table the emulator serves, with their ClickHouse types. */
export const EVENT_COLUMNS: Record<string, Column> = {
  uuid: { type: 'UUID', read: (row) => row.uuid },
  event: { type: 'String', read: (row) => row.event },
  properties: { type: 'String', read: (row) => propertiesJsonOf(row) },
  timestamp: { type: DATETIME64, read: (row) => row.timestamp },
  team_id: { type: 'Int64', read: (_, teamId) => teamId },
  distinct_id: { type: 'String', read: (row) => row.distinctId },
  elements_chain: { type: 'String', read: (row) => row.elementsChain },
  created_at: { type: DATETIME64, read: (row) => row.createdAt },
  $session_id: { type: 'String', read: (row) => row.sessionId },
  $window_id: { type: 'String', read: (row) => row.windowId },
  person_mode: { type: 'String', read: () => 'full' },
  $group_0: { type: 'String', read: () => '' },
  $group_1: { type: 'String', read: () => '' },
  $group_2: { type: 'String', read: () => '' },
  $group_3: { type: 'String', read: () => '' },
  $group_4: { type: 'String', read: () => '' },
  elements_chain_href: { type: 'String', read: () => '' },
  elements_chain_texts: { type: 'Array(String)', read: () => EMPTY },
  elements_chain_ids: { type: 'Array(String)', read: () => EMPTY },
  elements_chain_elements: { type: 'Array(String)', read: () => EMPTY },
  person_id: { type: 'UUID', read: (row) => row.personId },
};

/** The columns `SELECT *` from events expands to, in PostHog's order (`Table.get_asterisk`: team_id and
 * `$session_id_uuid` left out, joins and traversers such as person_id skipped). */
export const ASTERISK_COLUMNS = Object.keys(EVENT_COLUMNS).filter(
  (name) => name !== 'team_id' && name !== 'person_id',
);

const LAZY_TABLES = new Set([
  'pdi',
  'poe',
  'session',
  'goe_0',
  'goe_1',
  'goe_2',
  'goe_3',
  'goe_4',
  'group_0',
  'group_1',
  'group_2',
  'group_3',
  'group_4',
  'override',
]);

const COMPARE_FUNCTIONS: Record<string, CompareOp> = {
  equals: 'eq',
  notEquals: 'notEq',
  less: 'lt',
  lessOrEquals: 'ltEq',
  greater: 'gt',
  greaterOrEquals: 'gtEq',
  like: 'like',
  notLike: 'notLike',
  ilike: 'ilike',
  notILike: 'notILike',
  in: 'in',
  notIn: 'notIn',
};

const ARITHMETIC_FUNCTIONS: Record<string, ArithmeticOp> = {
  plus: 'plus',
  minus: 'minus',
  multiply: 'multiply',
  divide: 'divide',
  modulo: 'modulo',
};

/** Resolves a field of the events table to a row reader, or throws the 400 PostHog (or the emulator) gives. */
export function compileEventField(
  chain: readonly (string | number)[],
  scope: CompileScope,
  at: Span,
): Compiled<EventRow> {
  let parts = chain;
  if (parts.length > 1 && typeof parts[0] === 'string' && scope.tableNames.has(parts[0]))
    parts = parts.slice(1);
  const [first, ...rest] = parts;
  const name = String(first);
  if (!scope.hasTable) throw queryError(`Unable to resolve field: ${name}`, at);
  if (name === 'properties' && rest.length > 0) {
    // Property types are not declared in the emulator: the value keeps its JSON type (see the refinement of
    // `Nullable(String)` in hogql-select.ts).
    return { fn: (row) => readProperty(row.properties, rest), type: 'Nullable(String)', constant: false };
  }
  const column = Object.hasOwn(EVENT_COLUMNS, name) ? EVENT_COLUMNS[name] : undefined;
  if (column !== undefined) {
    if (rest.length > 0) {
      throw queryError(
        `Can't access property ${printHogQLExpr({ kind: 'field', chain: rest })} of column ${name}`,
        at,
      );
    }
    const teamId = scope.teamId;
    const read = column.read;
    return { fn: (row) => read(row, teamId), type: column.type, constant: false };
  }
  if (name === 'person') {
    if (rest.length === 1 && rest[0] === 'id') return compileEventField(['person_id'], scope, at);
    if (rest.length === 0) throw queryError("Can't select a table when a column is expected: person", at);
    throw queryError(
      `The PostHog emulator keeps no persons, so person.${rest.join('.')} cannot be read: use person_id, distinct_id or event properties`,
      at,
    );
  }
  if (LAZY_TABLES.has(name)) {
    throw queryError(
      `Joined tables (${name}) are not supported: the PostHog emulator runs SELECT on the events table only`,
      at,
    );
  }
  throw queryError(`Unable to resolve field: ${name}`, at);
}

function constantType(value: ConstantValue): string {
  if (value === null) return 'Nullable(Nothing)';
  if (typeof value === 'boolean') return 'Bool';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'Float64';
    if (value >= 0)
      return value < 256 ? 'UInt8' : value < 65_536 ? 'UInt16' : value < 2 ** 32 ? 'UInt32' : 'UInt64';
    return value >= -128 ? 'Int8' : value >= -32_768 ? 'Int16' : value >= -(2 ** 31) ? 'Int32' : 'Int64';
  }
  return `Array(${value.length === 0 ? 'Nothing' : constantType(value[0]!)})`;
}

const constant = <C>(value: Value, type: string): Compiled<C> => ({ fn: () => value, type, constant: true });

const isIntType = (type: string) => /^(Nullable\()?U?Int/.test(type);
const isTimeType = (type: string) => /^(Nullable\()?(DateTime|Date)/.test(type);

function arityMessage(
  kind: 'Function' | 'Aggregation',
  name: string,
  min: number,
  max: number,
  found: number,
): string {
  const plural = (n: number) => (n === 1 ? 'argument' : 'arguments');
  if (min === max) return `${kind} '${name}' expects ${min} ${plural(min)}, found ${found}`;
  if (found < min) return `${kind} '${name}' expects at least ${min} ${plural(min)}, found ${found}`;
  return `${kind} '${name}' expects at most ${max} ${plural(max)}, found ${found}`;
}

function unsupportedFunction(name: string, at: Span): never {
  const all = [...Object.keys(SCALAR_FUNCTIONS), ...Object.keys(AGGREGATE_FUNCTIONS)];
  const similar = all.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const hint = similar === undefined ? '' : ` Perhaps you meant '${similar}(...)'?`;
  throw queryError(
    `Unsupported function call '${name}(...)'.${hint} (The PostHog emulator runs a subset of HogQL's functions; see hogql-functions.ts.)`,
    at,
  );
}

/** Compiles an expression with the given leaf handling. Throws a `HogQLError` for anything it cannot run. */
export function compileExpr<C>(expr: Expr, env: CompileEnv<C>, context: FunctionContext): Compiled<C> {
  const intercepted = env.intercept?.(expr);
  if (intercepted !== undefined) return intercepted;
  const recur = (node: Expr) => compileExpr(node, env, context);
  switch (expr.kind) {
    case 'constant':
      return constant(constantToValue(expr.value), constantType(expr.value));
    case 'field':
      return env.field(expr);
    case 'alias':
      return recur(expr.expr);
    case 'asterisk':
      throw queryError('* can only be used in SELECT (SELECT * FROM events) and in count(*)', expr);
    case 'placeholder':
      throw queryError(`Unresolved placeholder: {${expr.name}}`, expr);
    case 'tuple':
    case 'array': {
      const items = expr.exprs.map(recur);
      const fns = items.map((item) => item.fn);
      const type =
        expr.kind === 'tuple'
          ? `Tuple(${items.map((item) => item.type).join(', ')})`
          : `Array(${items[0]?.type ?? 'Nothing'})`;
      return { fn: (c) => fns.map((fn) => fn(c)), type, constant: items.every((item) => item.constant) };
    }
    case 'compare':
      return compileCompare(expr.op, recur(expr.left), expr.right, recur);
    case 'arithmetic':
      return compileArithmetic(expr.op, recur(expr.left), recur(expr.right));
    case 'and':
    case 'or': {
      const parts = expr.exprs.map(recur);
      const fns = parts.map((part) => part.fn);
      const all = expr.kind === 'and';
      return {
        fn: (c) => {
          for (const fn of fns) if (truthy(fn(c)) !== all) return all ? 0 : 1;
          return all ? 1 : 0;
        },
        type: 'UInt8',
        constant: parts.every((part) => part.constant),
      };
    }
    case 'not': {
      const inner = recur(expr.expr);
      const fn = inner.fn;
      return {
        fn: (c) => {
          const value = fn(c);
          return value === null ? null : truthy(value) ? 0 : 1;
        },
        type: 'UInt8',
        constant: inner.constant,
      };
    }
    case 'between': {
      const value = recur(expr.expr);
      const low = recur(expr.low);
      const high = recur(expr.high);
      const negated = expr.negated;
      return {
        fn: (c) => {
          const v = value.fn(c);
          const lo = low.fn(c);
          const hi = high.fn(c);
          if (v === null || lo === null || hi === null) return negated ? 1 : 0;
          const inside = compareNonNull(v, lo) >= 0 && compareNonNull(v, hi) <= 0;
          return inside !== negated ? 1 : 0;
        },
        type: 'UInt8',
        constant: value.constant && low.constant && high.constant,
      };
    }
    case 'arrayAccess': {
      const array = recur(expr.array);
      const index = recur(expr.index);
      return {
        fn: (c) => {
          const list = array.fn(c);
          const key = index.fn(c);
          if (list === null || key === null) return null;
          if (Array.isArray(list)) {
            const i = toNumber(key);
            if (i === null || !Number.isInteger(i) || i === 0) return null;
            return (list[i > 0 ? i - 1 : list.length + i] as Value) ?? null;
          }
          if (typeof list === 'string' && (typeof key === 'string' || typeof key === 'number')) {
            try {
              const parsed: unknown = JSON.parse(list);
              return typeof parsed === 'object' && parsed !== null
                ? readProperty(parsed as Record<string, unknown>, [key])
                : null;
            } catch {
              return null;
            }
          }
          return null;
        },
        type: 'Nullable(String)',
        constant: array.constant && index.constant,
      };
    }
    case 'call':
      return compileCall(expr, env, context, recur);
  }
}

function compileCall<C>(
  expr: Extract<Expr, { kind: 'call' }>,
  env: CompileEnv<C>,
  context: FunctionContext,
  recur: (node: Expr) => Compiled<C>,
): Compiled<C> {
  const { name } = expr;
  const compareOp = Object.hasOwn(COMPARE_FUNCTIONS, name) ? COMPARE_FUNCTIONS[name] : undefined;
  if (compareOp !== undefined && expr.args.length === 2) {
    return compileCompare(compareOp, recur(expr.args[0]!), expr.args[1]!, recur);
  }
  const arithmeticOp = Object.hasOwn(ARITHMETIC_FUNCTIONS, name) ? ARITHMETIC_FUNCTIONS[name] : undefined;
  if (arithmeticOp !== undefined && expr.args.length === 2) {
    return compileArithmetic(arithmeticOp, recur(expr.args[0]!), recur(expr.args[1]!));
  }
  if ((name === 'and' || name === 'or') && expr.args.length >= 2)
    return recur({ kind: name, exprs: expr.args });
  if (name === 'not' && expr.args.length === 1) return recur({ kind: 'not', expr: expr.args[0]! });
  if (name === 'arrayJoin') {
    throw queryError(
      'arrayJoin is not supported: the PostHog emulator returns one row per event or group',
      expr,
    );
  }
  const scalar = lookupScalar(name);
  if (scalar !== undefined) {
    if (expr.params !== null) throw queryError(`Function '${name}' does not take parameters`, expr);
    if (expr.distinct) throw queryError(`DISTINCT is only allowed in aggregations, not in '${name}'`, expr);
    const count = expr.args.length;
    if (count < scalar.minArgs || count > scalar.maxArgs) {
      throw queryError(arityMessage('Function', name, scalar.minArgs, scalar.maxArgs, count), expr);
    }
    const args = expr.args.map(recur);
    const fns = args.map((arg) => arg.fn);
    const impl = scalar.call;
    const type = scalar.type(args.map((arg) => arg.type));
    const isConstant = args.every((arg) => arg.constant);
    if (isConstant) {
      // Folded once per query, as ClickHouse folds constant expressions (now() is fixed for the query).
      const value = impl(
        fns.map((fn) => fn(undefined as unknown as C)),
        context,
      );
      return constant(value, type);
    }
    return {
      fn: (c) =>
        impl(
          fns.map((fn) => fn(c)),
          context,
        ),
      type,
      constant: false,
    };
  }
  const aggregate = lookupAggregate(name, expr.distinct);
  if (aggregate !== undefined) {
    if (expr.params !== null) {
      throw queryError(
        `Parametric aggregations such as ${name}(…)(…) are not supported by the PostHog emulator`,
        expr,
      );
    }
    const args = expr.args.filter((arg) => !(name.toLowerCase() === 'count' && arg.kind === 'asterisk'));
    if (args.length < aggregate.minArgs || args.length > aggregate.maxArgs) {
      throw queryError(
        arityMessage('Aggregation', name, aggregate.minArgs, aggregate.maxArgs, args.length),
        expr,
      );
    }
    return env.aggregate({ ...expr, args }, aggregate);
  }
  return unsupportedFunction(name, expr);
}

function constantToValue(value: ConstantValue): Value {
  if (Array.isArray(value)) return value.map(constantToValue);
  return value as Value;
}

// A string constant compared with a DateTime column is read once as a DateTime, as ClickHouse converts the
// literal, instead of on every row.
function asTimeConstant<C>(side: Compiled<C>, other: Compiled<C>): Compiled<C> {
  if (!side.constant || !isTimeType(other.type)) return side;
  const value = side.fn(undefined as unknown as C);
  if (typeof value !== 'string') return side;
  const us = parseDateTimeText(value);
  if (us === null) throw queryError(`Cannot parse string '${value}' as DateTime64(6, 'UTC')`);
  return constant(dateTimeValue(us), DATETIME64);
}

function compileCompare<C>(
  op: CompareOp,
  leftRaw: Compiled<C>,
  rightExpr: Expr,
  recur: (node: Expr) => Compiled<C>,
): Compiled<C> {
  if (op === 'in' || op === 'notIn') return compileIn(op, leftRaw, rightExpr, recur);
  const rightRaw = recur(rightExpr);
  const left = asTimeConstant(leftRaw, rightRaw);
  const right = asTimeConstant(rightRaw, leftRaw);
  const l = left.fn;
  const r = right.fn;
  const isConstant = left.constant && right.constant;
  const result = (fn: (c: C) => Value): Compiled<C> => ({ fn, type: 'UInt8', constant: isConstant });
  const ordered = (test: (order: number) => boolean) =>
    result((c) => {
      const a = l(c);
      const b = r(c);
      if (a === null || b === null) return 0;
      return test(compareNonNull(a, b)) ? 1 : 0;
    });
  switch (op) {
    case 'eq':
      return result((c) => (valuesEqual(l(c), r(c)) ? 1 : 0));
    case 'notEq':
      return result((c) => (valuesEqual(l(c), r(c)) ? 0 : 1));
    case 'lt':
      return ordered((order) => order < 0);
    case 'ltEq':
      return ordered((order) => order <= 0);
    case 'gt':
      return ordered((order) => order > 0);
    case 'gtEq':
      return ordered((order) => order >= 0);
    case 'like':
    case 'ilike':
    case 'notLike':
    case 'notILike': {
      const negated = op === 'notLike' || op === 'notILike';
      const insensitive = op === 'ilike' || op === 'notILike';
      const fixedPattern = right.constant ? toText(r(undefined as unknown as C)) : undefined;
      const fixedRegex = typeof fixedPattern === 'string' ? likePattern(fixedPattern, insensitive) : null;
      return result((c) => {
        const a = l(c);
        const pattern =
          fixedRegex ??
          (() => {
            const b = toText(r(c));
            return b === null ? null : likePattern(b, insensitive);
          })();
        if (a === null || pattern === null) return negated ? 1 : 0;
        return pattern.test(toText(a)!) !== negated ? 1 : 0;
      });
    }
    case 'regex':
    case 'iregex':
    case 'notRegex':
    case 'notIRegex': {
      const negated = op === 'notRegex' || op === 'notIRegex';
      const prefix = op === 'iregex' || op === 'notIRegex' ? '(?i)' : '';
      return result((c) => {
        const a = l(c);
        const b = r(c);
        if (a === null || b === null) return negated ? 1 : 0;
        return re2(prefix + toText(b)).test(toText(a)!) !== negated ? 1 : 0;
      });
    }
  }
}

function compileIn<C>(
  op: 'in' | 'notIn',
  left: Compiled<C>,
  rightExpr: Expr,
  recur: (node: Expr) => Compiled<C>,
): Compiled<C> {
  const l = left.fn;
  const negated = op === 'notIn';
  let items: Compiled<C>[];
  if (rightExpr.kind === 'tuple' || rightExpr.kind === 'array') items = rightExpr.exprs.map(recur);
  else items = [recur(rightExpr)];
  items = items.map((item) => asTimeConstant(item, left));
  const fns = items.map((item) => item.fn);
  const isConstant = left.constant && items.every((item) => item.constant);
  const single = rightExpr.kind !== 'tuple' && rightExpr.kind !== 'array';
  return {
    fn: (c) => {
      const a = l(c);
      // NOT IN with a NULL on the left is true (the printer's ifNull(notIn(…), 1)); IN follows transform_null_in.
      if (a === null && negated) return 1;
      let found = false;
      for (const fn of fns) {
        const value = fn(c);
        if (single && Array.isArray(value)) {
          if (value.some((item: Value) => valuesEqual(a, item))) found = true;
        } else if (valuesEqual(a, value)) found = true;
        if (found) break;
      }
      return found !== negated ? 1 : 0;
    },
    type: 'UInt8',
    constant: isConstant,
  };
}

function arithmeticType(op: ArithmeticOp, left: string, right: string): string {
  if (isTimeType(left)) return left.replace(/^Nullable\((.*)\)$/, '$1');
  if (isTimeType(right)) return right.replace(/^Nullable\((.*)\)$/, '$1');
  if (left.startsWith('Interval')) return left;
  if (op === 'divide') return 'Float64';
  return isIntType(left) && isIntType(right) ? 'Int64' : 'Float64';
}

/** `a op b` with ClickHouse's meaning for dates, intervals and numbers. */
export function arithmetic(op: ArithmeticOp, a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  const additive = op === 'plus' || op === 'minus';
  const sign: 1 | -1 = op === 'minus' ? -1 : 1;
  if ((isDateTime(a) || isDate(a)) && additive) {
    if (isInterval(b)) return addInterval(a, b, sign);
    if ((isDateTime(b) || isDate(b)) && op === 'minus') {
      const x = isDate(a) ? a.day * US_PER_DAY : a.us;
      const y = isDate(b) ? b.day * US_PER_DAY : b.us;
      return isDate(a) && isDate(b) ? a.day - b.day : Math.trunc((x - y) / US_PER_SECOND);
    }
    const n = toNumber(b);
    if (n !== null && !isInterval(b)) {
      return isDate(a)
        ? dateValue(a.day + sign * n)
        : dateTimeValue(a.us + sign * n * US_PER_SECOND, a.precision);
    }
  }
  if (isInterval(a) && (isDateTime(b) || isDate(b)) && op === 'plus') return addInterval(b, a, 1);
  if (isInterval(a) && isInterval(b) && a.unit === b.unit && additive) {
    return { t: 'interval', unit: a.unit, n: a.n + sign * b.n };
  }
  const x = toNumber(a);
  const y = toNumber(b);
  if (
    x === null ||
    y === null ||
    isInterval(a) ||
    isInterval(b) ||
    typeof a === 'object' ||
    typeof b === 'object'
  ) {
    throw queryError(`Illegal types of arguments (${describe(a)}, ${describe(b)}) of function ${op}`);
  }
  switch (op) {
    case 'plus':
      return x + y;
    case 'minus':
      return x - y;
    case 'multiply':
      return x * y;
    case 'divide':
      return x / y;
    case 'modulo':
      if (y === 0) throw queryError('Division by zero');
      return x % y;
  }
}

function describe(value: Value): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Int64' : 'Float64';
  if (typeof value === 'boolean') return 'Bool';
  if (isDateTime(value)) return 'DateTime64(6)';
  if (isDate(value)) return 'Date';
  if (isInterval(value)) return `Interval${value.unit[0]!.toUpperCase()}${value.unit.slice(1)}`;
  return 'Array';
}

function compileArithmetic<C>(op: ArithmeticOp, left: Compiled<C>, right: Compiled<C>): Compiled<C> {
  const l = left.fn;
  const r = right.fn;
  const type = arithmeticType(op, left.type, right.type);
  if (left.constant && right.constant) {
    return constant(arithmetic(op, l(undefined as unknown as C), r(undefined as unknown as C)), type);
  }
  return { fn: (c) => arithmetic(op, l(c), r(c)), type, constant: false };
}
