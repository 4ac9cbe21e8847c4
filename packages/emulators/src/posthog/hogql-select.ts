// Runs one parsed HogQL SELECT over the event store, in ClickHouse's clause order (WHERE, GROUP BY, HAVING, SELECT,
// DISTINCT, ORDER BY, LIMIT/OFFSET). Select aliases are visible in every clause and win over columns of the same
// name (ClickHouse's default, which PostHog's resolver follows); ORDER BY and GROUP BY take positions (ORDER BY 1).
// NULLs sort last in both directions, as ClickHouse sorts them by default.
//
// Two shortcuts keep large tables cheap without changing any answer: top-level `timestamp` bounds in WHERE narrow the
// scan to a slice of the (timestamp, uuid)-sorted store by binary search, and ORDER BY timestamp[, uuid] without
// aggregation reads rows already in order and stops once the page is full.
import type { EventRow, PostHogEventStore } from './event-store.ts';
import { type Expr, mapExpr, queryError, type SelectQuery, walkExpr } from './hogql-ast.ts';
import {
  ASTERISK_COLUMNS,
  type CompileEnv,
  type CompileScope,
  compileEventField,
  compileExpr,
} from './hogql-compile.ts';
import {
  type Accumulator,
  type AggregateFunction,
  type FunctionContext,
  lookupAggregate,
  lookupScalar,
} from './hogql-functions.ts';
import { printHogQLExpr } from './hogql-printer.ts';
import {
  compareValues,
  groupKey,
  isDate,
  isDateTime,
  toMicros,
  toNumber,
  truthy,
  type Value,
} from './hogql-values.ts';

/** PostHog's known tables the emulator does not serve (a clear 400 instead of "Unknown table"). */
const OTHER_POSTHOG_TABLES = new Set([
  'persons',
  'person_distinct_ids',
  'person_distinct_id_overrides',
  'sessions',
  'groups',
  'cohort_people',
  'static_cohort_people',
  'session_replay_events',
  'raw_session_replay_events',
  'log_entries',
  'logs',
  'query_log',
  'numbers',
  'system',
]);

/** Options of `runSelect`. */
export interface SelectOptions {
  /** `now()`, microseconds since the epoch. */
  now: number;
  teamId: number;
  /** The most rows a query returns: a larger LIMIT is clamped to it (PostHog's MAX_SELECT_RETURNED_ROWS). */
  maxLimit: number;
}

/** The rows of a SELECT, with PostHog's column names and ClickHouse types. */
export interface SelectOutput {
  columns: string[];
  types: string[];
  rows: Value[][];
}

interface GroupState {
  keys: Value[];
  accumulators: Accumulator[];
  results: Value[];
}

interface OrderKey<C> {
  fn: (context: C) => Value;
  desc: boolean;
  nullsFirst: boolean;
}

const isTimestampField = (expr: Expr): boolean =>
  expr.kind === 'field' && expr.chain.length === 1 && expr.chain[0] === 'timestamp';

/** Whether an expression calls an aggregation (outside subqueries, which the emulator has none of). */
export function hasAggregation(expr: Expr): boolean {
  for (const node of walkExpr(expr)) {
    if (
      node.kind === 'call' &&
      lookupScalar(node.name) === undefined &&
      lookupAggregate(node.name, node.distinct)
    ) {
      return true;
    }
  }
  return false;
}

function stripAliases(expr: Expr): Expr {
  return mapExpr(expr, (node) => (node.kind === 'alias' ? stripAliases(node.expr) : node));
}

// Aliases are visible everywhere in the query; an alias's own definition does not see itself, so
// `SELECT event AS event` reads the column.
function expandAliases(expr: Expr, aliases: ReadonlyMap<string, Expr>, expanding: ReadonlySet<string>): Expr {
  return mapExpr(expr, (node) => {
    if (node.kind === 'field' && node.chain.length === 1 && typeof node.chain[0] === 'string') {
      const name = node.chain[0];
      const target = aliases.get(name);
      if (target !== undefined && !expanding.has(name)) {
        return expandAliases(target, aliases, new Set([...expanding, name]));
      }
      return node;
    }
    if (node.kind === 'alias') {
      return { ...node, expr: expandAliases(node.expr, aliases, new Set([...expanding, node.alias])) };
    }
    return node;
  });
}

const hasFieldOrAggregate = (expr: Expr): boolean =>
  [...walkExpr(expr)].some((node) => node.kind === 'field' || node.kind === 'asterisk') ||
  hasAggregation(expr);

const FLIP: Record<string, string> = { lt: 'gt', ltEq: 'gtEq', gt: 'lt', gtEq: 'ltEq', eq: 'eq' };

/**
 * The slice [lo, hi) of the sorted store a WHERE can match, from its `timestamp` comparisons with constants: AND
 * narrows to the intersection, OR widens to the hull of its branches, anything else leaves the whole table. So
 * the keyset form `timestamp > {t} OR (timestamp = {t} AND uuid > {u})` reads from {t} on.
 */
function planRange(
  store: PostHogEventStore,
  where: Expr | null,
  evaluate: (expr: Expr) => Value,
): [number, number] {
  const all: [number, number] = [0, store.count()];
  const bound = (op: string, value: Value): [number, number] => {
    if (!(isDateTime(value) || isDate(value) || typeof value === 'string')) return all;
    const us = toMicros(value)!;
    switch (op) {
      case 'gt':
        return [store.upperBound(us), all[1]];
      case 'gtEq':
        return [store.lowerBound(us), all[1]];
      case 'lt':
        return [0, store.lowerBound(us)];
      case 'ltEq':
        return [0, store.upperBound(us)];
      case 'eq':
        return [store.lowerBound(us), store.upperBound(us)];
      default:
        return all;
    }
  };
  const rangeOf = (expr: Expr): [number, number] => {
    const isAnd = expr.kind === 'and' || (expr.kind === 'call' && expr.name === 'and');
    const isOr = expr.kind === 'or' || (expr.kind === 'call' && expr.name === 'or');
    if (isAnd || isOr) {
      const parts = (
        expr.kind === 'and' || expr.kind === 'or' ? expr.exprs : (expr as { args: Expr[] }).args
      ).map(rangeOf);
      if (isAnd) {
        return parts.reduce<[number, number]>((a, b) => [Math.max(a[0], b[0]), Math.min(a[1], b[1])], all);
      }
      return parts.reduce<[number, number]>(
        (a, b) => [Math.min(a[0], b[0]), Math.max(a[1], b[1])],
        [all[1], 0],
      );
    }
    if (expr.kind === 'compare' && FLIP[expr.op] !== undefined) {
      if (isTimestampField(expr.left) && !hasFieldOrAggregate(expr.right))
        return bound(expr.op, evaluate(expr.right));
      if (isTimestampField(expr.right) && !hasFieldOrAggregate(expr.left)) {
        return bound(FLIP[expr.op]!, evaluate(expr.left));
      }
    }
    if (
      expr.kind === 'between' &&
      !expr.negated &&
      isTimestampField(expr.expr) &&
      !hasFieldOrAggregate(expr.low) &&
      !hasFieldOrAggregate(expr.high)
    ) {
      const [lo] = bound('gtEq', evaluate(expr.low));
      const [, hi] = bound('ltEq', evaluate(expr.high));
      return [lo, hi];
    }
    return all;
  };
  if (where === null) return all;
  const [lo, hi] = rangeOf(where);
  return [lo, Math.max(lo, hi)];
}

function compareKeys<C>(order: OrderKey<C>[]) {
  return (a: Value[], b: Value[]): number => {
    for (let i = 0; i < order.length; i++) {
      const { desc, nullsFirst } = order[i]!;
      const x = a[i]!;
      const y = b[i]!;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === nullsFirst ? -1 : 1;
      }
      const result = compareValues(x, y);
      if (result !== 0) return desc ? -result : result;
    }
    return 0;
  };
}

function resolveTable(query: SelectQuery): { hasTable: boolean; tableNames: Set<string> } {
  if (query.from === null) return { hasTable: false, tableNames: new Set() };
  const { table, alias } = query.from;
  if (table !== 'events') {
    const root = table.split('.')[0]!;
    if (OTHER_POSTHOG_TABLES.has(table) || OTHER_POSTHOG_TABLES.has(root) || table.startsWith('raw_')) {
      throw queryError(
        `The PostHog emulator has no table "${table}": it runs SELECT on the events table only`,
        query.from,
      );
    }
    throw queryError(`Unknown table "${table}".`, query.from);
  }
  return { hasTable: true, tableNames: new Set(alias === null ? ['events'] : ['events', alias]) };
}

function constantInteger(expr: Expr | null, clause: string, evaluate: (expr: Expr) => Value): number | null {
  if (expr === null) return null;
  if (hasFieldOrAggregate(expr)) throw queryError(`${clause} expression must be constant`, expr);
  const value = toNumber(evaluate(expr));
  if (value === null || !Number.isInteger(value) || value < 0) {
    throw queryError(`${clause} must be a non-negative integer`, expr);
  }
  return value;
}

// Property reads keep their JSON type; name the column's type after what it holds, as a declared property
// type would (PostHog's PropertySwapper turns a Numeric property into Float64, a Boolean one into Bool).
function refineType(type: string, expr: Expr, rows: Value[][], index: number): string {
  if (type !== 'Nullable(String)' || expr.kind !== 'field' || expr.chain[0] !== 'properties') return type;
  let kind: string | null = null;
  for (const row of rows) {
    const value = row[index];
    if (value === null || value === undefined) continue;
    const next = typeof value === 'number' ? 'Float64' : typeof value === 'boolean' ? 'Bool' : 'String';
    if (kind !== null && kind !== next) return type;
    kind = next;
  }
  return kind === null ? type : `Nullable(${kind})`;
}

/**
 * Runs `query` over `store`. Throws a `HogQLError` (a 400) for anything PostHog or the emulator refuses; never
 * returns partial rows.
 */
export function runSelect(
  store: PostHogEventStore,
  query: SelectQuery,
  options: SelectOptions,
): SelectOutput {
  const { hasTable, tableNames } = resolveTable(query);
  const context: FunctionContext = { now: options.now };
  const scope: CompileScope = {
    now: options.now,
    teamId: options.teamId,
    hasTable,
    tableNames,
    clause: 'SELECT',
  };

  // Field chains that name the table (`events.event`, `e.event`) read the bare column.
  const unprefix = (expr: Expr): Expr =>
    mapExpr(expr, (node) =>
      node.kind === 'field' &&
      node.chain.length > 1 &&
      typeof node.chain[0] === 'string' &&
      tableNames.has(node.chain[0])
        ? { ...node, chain: node.chain.slice(1) }
        : node,
    );

  const items: { expr: Expr; name: string }[] = [];
  for (const item of query.select) {
    if (item.kind === 'asterisk') {
      if (!hasTable) throw queryError('SELECT * needs FROM events in the PostHog emulator', item);
      for (const column of ASTERISK_COLUMNS)
        items.push({ expr: { kind: 'field', chain: [column] }, name: column });
      continue;
    }
    const expr = unprefix(item);
    items.push({ expr, name: expr.kind === 'alias' ? expr.alias : printHogQLExpr(expr) });
  }

  const aliases = new Map<string, Expr>();
  for (const item of items) {
    for (const node of walkExpr(item.expr)) if (node.kind === 'alias') aliases.set(node.alias, node.expr);
  }
  const expand = (expr: Expr): Expr => stripAliases(expandAliases(unprefix(expr), aliases, new Set()));
  const selectExprs = items.map((item) =>
    item.expr.kind === 'alias'
      ? stripAliases(expandAliases(item.expr.expr, aliases, new Set([item.expr.alias])))
      : stripAliases(expandAliases(item.expr, aliases, new Set())),
  );
  const positional = (expr: Expr, clause: string): Expr => {
    if (expr.kind === 'constant' && typeof expr.value === 'number' && Number.isInteger(expr.value)) {
      const target = selectExprs[expr.value - 1];
      if (target === undefined) throw queryError(`${clause} position ${expr.value} is out of range`, expr);
      return target;
    }
    return expand(expr);
  };

  const rowEnv = (clause: string): CompileEnv<EventRow> => ({
    scope: { ...scope, clause },
    field: (field) => compileEventField(field.chain, scope, field),
    aggregate: (call) => {
      throw queryError(`Aggregate function ${printHogQLExpr(call)} is found in ${clause} in query`, call);
    },
  });
  const evaluateConstant = (expr: Expr): Value =>
    compileExpr(expr, rowEnv('a constant'), context).fn(undefined as unknown as EventRow);

  const where = query.where === null ? null : expand(query.where);
  const whereFn = where === null ? null : compileExpr(where, rowEnv('WHERE'), context).fn;
  const limit = Math.min(
    constantInteger(query.limit, 'LIMIT', evaluateConstant) ?? options.maxLimit,
    options.maxLimit,
  );
  const offset = constantInteger(query.offset, 'OFFSET', evaluateConstant) ?? 0;
  const orderItems = (query.orderBy ?? []).map((item) => ({
    ...item,
    expr: positional(item.expr, 'ORDER BY'),
  }));
  const groupExprs = query.groupBy?.map((expr) => positional(expr, 'GROUP BY')) ?? null;

  const aggregated =
    groupExprs !== null ||
    selectExprs.some(hasAggregation) ||
    (query.having !== null && hasAggregation(expand(query.having))) ||
    orderItems.some((item) => hasAggregation(item.expr));

  const allRows = store.rows();
  const [lo, hi] = hasTable ? planRange(store, where, evaluateConstant) : [0, 1];
  const source: readonly EventRow[] = hasTable ? allRows : [undefined as unknown as EventRow];
  let matches = (row: EventRow) => whereFn === null || truthy(whereFn(row));

  let rows: Value[][];
  let types: string[];

  if (!aggregated) {
    // HAVING over a query that aggregates nothing filters rows, as WHERE does.
    if (query.having !== null) {
      const havingFn = compileExpr(expand(query.having), rowEnv('HAVING'), context).fn;
      const whereOnly = matches;
      matches = (row) => whereOnly(row) && truthy(havingFn(row));
    }
    const env = rowEnv('SELECT');
    const selectFns = selectExprs.map((expr) => compileExpr(expr, env, context));
    const order: OrderKey<EventRow>[] = orderItems.map((item) => ({
      fn: compileExpr(item.expr, rowEnv('ORDER BY'), context).fn,
      desc: item.order === 'DESC',
      nullsFirst: item.nulls === 'FIRST',
    }));
    const timeOrdered =
      hasTable &&
      orderItems.length <= 2 &&
      (orderItems.length === 0 ||
        (isTimestampField(orderItems[0]!.expr) &&
          (orderItems.length === 1 ||
            (orderItems[1]!.expr.kind === 'field' &&
              orderItems[1]!.expr.chain.length === 1 &&
              orderItems[1]!.expr.chain[0] === 'uuid' &&
              orderItems[1]!.order === orderItems[0]!.order))));
    if (timeOrdered && !query.distinct) {
      const need = offset + limit;
      const found: EventRow[] = [];
      if (orderItems[0]?.order === 'DESC') {
        for (let i = hi - 1; i >= lo && found.length < need; i--)
          if (matches(source[i]!)) found.push(source[i]!);
      } else {
        for (let i = lo; i < hi && found.length < need; i++) if (matches(source[i]!)) found.push(source[i]!);
      }
      rows = found.slice(offset).map((row) => selectFns.map((compiled) => compiled.fn(row)));
    } else {
      let candidates: { row: EventRow; keys: Value[]; values?: Value[] }[] = [];
      for (let i = lo; i < hi; i++) {
        const row = source[i]!;
        if (matches(row)) candidates.push({ row, keys: order.map((key) => key.fn(row)) });
      }
      if (query.distinct) {
        const seen = new Set<string>();
        candidates = candidates.filter((candidate) => {
          candidate.values = selectFns.map((compiled) => compiled.fn(candidate.row));
          const key = groupKey(candidate.values);
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
      }
      if (order.length > 0) {
        const compare = compareKeys(order);
        candidates.sort((a, b) => compare(a.keys, b.keys));
      }
      rows = candidates
        .slice(offset, offset + limit)
        .map((candidate) => candidate.values ?? selectFns.map((compiled) => compiled.fn(candidate.row)));
    }
    types = selectFns.map((compiled) => compiled.type);
  } else {
    const keyCompiled = (groupExprs ?? []).map((expr) => compileExpr(expr, rowEnv('GROUP BY'), context));
    const keyFns = keyCompiled.map((compiled) => compiled.fn);
    const keyTexts = (groupExprs ?? []).map((expr) => printHogQLExpr(expr));
    const aggregates: { key: string; fn: AggregateFunction; args: ((row: EventRow) => Value)[] }[] = [];
    const groupEnv = (clause: string): CompileEnv<GroupState> => ({
      scope: { ...scope, clause },
      intercept: (expr) => {
        if (expr.kind === 'constant') return undefined;
        const index = keyTexts.indexOf(printHogQLExpr(expr));
        if (index < 0) return undefined;
        return { fn: (group) => group.keys[index]!, type: keyCompiled[index]!.type, constant: false };
      },
      field: (field) => {
        throw queryError(
          `Column \`${printHogQLExpr(field)}\` is not under aggregate function and not in GROUP BY keys`,
          field,
        );
      },
      aggregate: (call, fn) => {
        const key = printHogQLExpr(call);
        let index = aggregates.findIndex((aggregate) => aggregate.key === key);
        const nested: CompileEnv<EventRow> = {
          ...rowEnv(clause),
          aggregate: (inner) => {
            throw queryError(
              `Aggregation '${inner.name}' cannot be nested inside another aggregation '${call.name}'.`,
              inner,
            );
          },
        };
        const args = call.args.map((arg) => compileExpr(arg, nested, context));
        if (index < 0) {
          index = aggregates.length;
          aggregates.push({ key, fn, args: args.map((arg) => arg.fn) });
        }
        const at = index;
        return {
          fn: (group) => group.results[at]!,
          type: fn.type(args.map((arg) => arg.type)),
          constant: false,
        };
      },
    });
    const selectFns = selectExprs.map((expr) => compileExpr(expr, groupEnv('SELECT'), context));
    const havingFn =
      query.having === null ? null : compileExpr(expand(query.having), groupEnv('HAVING'), context).fn;
    const order: OrderKey<GroupState>[] = orderItems.map((item) => ({
      fn: compileExpr(item.expr, groupEnv('ORDER BY'), context).fn,
      desc: item.order === 'DESC',
      nullsFirst: item.nulls === 'FIRST',
    }));

    const groups = new Map<string, GroupState>();
    const newGroup = (keys: Value[]): GroupState => ({
      keys,
      accumulators: aggregates.map((aggregate) => aggregate.fn.create()),
      results: [],
    });
    for (let i = lo; i < hi; i++) {
      const row = source[i]!;
      if (!matches(row)) continue;
      const keys = keyFns.map((fn) => fn(row));
      const key = keys.length === 1 ? groupKey(keys[0]!) : groupKey(keys);
      let group = groups.get(key);
      if (group === undefined) {
        group = newGroup(keys);
        groups.set(key, group);
      }
      for (let a = 0; a < aggregates.length; a++) {
        const args = aggregates[a]!.args;
        group.accumulators[a]!.add(args.map((fn) => fn(row)));
      }
    }
    // Aggregating without GROUP BY yields one row even over no events (count() is 0).
    if (groupExprs === null && groups.size === 0) groups.set('', newGroup([]));
    let candidates: { keys: Value[]; values: Value[] }[] = [];
    for (const group of groups.values()) {
      group.results = group.accumulators.map((accumulator) => accumulator.result());
      if (havingFn !== null && !truthy(havingFn(group))) continue;
      candidates.push({
        keys: order.map((key) => key.fn(group)),
        values: selectFns.map((compiled) => compiled.fn(group)),
      });
    }
    if (query.distinct) {
      const seen = new Set<string>();
      candidates = candidates.filter((candidate) => {
        const key = groupKey(candidate.values);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    if (order.length > 0) {
      const compare = compareKeys(order);
      candidates.sort((a, b) => compare(a.keys, b.keys));
    }
    rows = candidates.slice(offset, offset + limit).map((candidate) => candidate.values);
    types = selectFns.map((compiled) => compiled.type);
  }

  return {
    columns: items.map((item) => item.name),
    types: types.map((type, index) => refineType(type, selectExprs[index]!, rows, index)),
    rows,
  };
}

/** Compiles an expression over event rows (no aggregations), for the insight runners' filters and breakdowns. */
export function compileRowExpression(
  expr: Expr,
  options: { now: number; teamId: number },
  clause: string,
): { fn: (row: EventRow) => Value; type: string } {
  const scope: CompileScope = {
    now: options.now,
    teamId: options.teamId,
    hasTable: true,
    tableNames: new Set(['events']),
    clause,
  };
  const compiled = compileExpr(
    expr,
    {
      scope,
      field: (field) => compileEventField(field.chain, scope, field),
      aggregate: (call) => {
        throw queryError(`Aggregate function ${printHogQLExpr(call)} is found in ${clause} in query`, call);
      },
    },
    { now: options.now },
  );
  return { fn: compiled.fn, type: compiled.type };
}
