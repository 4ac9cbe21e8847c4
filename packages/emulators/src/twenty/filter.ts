// Twenty's REST `filter` query parameter: parsed exactly as the server parses it (twenty-server
// `engine/api/rest/input-request-parsers/filter-parser-utils/`: check-filter-query, add-default-conjunction,
// parse-filter, parse-filter-content, parse-base-filter, format-field-values), then validated against the object as
// the common layer's filter-arg processor does (`engine/api/common/common-args-processors/filter-arg-processor/`),
// then evaluated on records with SQL's three-valued logic (a comparison with NULL is unknown, and so is its NOT).

import { badRequest } from './errors.ts';
import { COMPOSITE_TYPES, type FieldDef, type ObjectDef, readPath, type SubFieldType } from './schema.ts';
import { canonicalizeEmail, isUuid } from './values.ts';

/** Twenty's `ObjectRecordFilter`: `{ and: [...] }`, `{ or: [...] }`, `{ not: {...} }` or `{ field: { op: value } }`. */
export type FilterNode = { [key: string]: FilterValue };
export type FilterValue = string | string[] | number | number[] | boolean | FilterNode | FilterNode[] | null;

/** parse-base-filter.util.ts `FilterComparators`. */
export const COMPARATORS = [
  'eq',
  'neq',
  'in',
  'containsAny',
  'is',
  'gt',
  'gte',
  'lt',
  'lte',
  'startsWith',
  'endsWith',
  'like',
  'ilike',
] as const;
export type Comparator = (typeof COMPARATORS)[number];

const CONJUNCTIONS = ['or', 'and', 'not'] as const;
const ROOT_CONJUNCTION = /^(or|and|not)\((.+)\)$/;
const FILTER_CODE = 'INVALID_FILTER_QUERY_PARAM';

/**
 * The deepest `and(`/`or(`/`not(` nesting parsed. Twenty has no such bound (its recursive parser runs out of stack
 * far deeper, and answers that as a 400 too); the emulator stops at a depth no real filter reaches, so a hostile
 * one costs a 400 at once instead of seconds of parsing.
 */
export const MAX_FILTER_DEPTH = 100;

/** check-filter-query.util.ts: unbalanced brackets; and the emulator's nesting bound. */
function checkFilterQuery(filterQuery: string): void {
  const opened = (filterQuery.match(/\(/g) ?? []).length;
  const closed = (filterQuery.match(/\)/g) ?? []).length;
  const diff = opened - closed;
  if (diff === 0) {
    let depth = 0;
    for (const c of filterQuery) {
      if (c === '(') depth++;
      else if (c === ')') depth--;
      if (depth > MAX_FILTER_DEPTH) {
        throw badRequest(
          `'filter' invalid. Nesting deeper than ${MAX_FILTER_DEPTH} levels is not supported`,
          FILTER_CODE,
        );
      }
    }
    return;
  }
  const hint =
    diff > 0
      ? `${diff} close bracket${diff > 1 ? 's are' : ' is'}`
      : `${Math.abs(diff)} open bracket${Math.abs(diff) > 1 ? 's are' : ' is'}`;
  throw badRequest(`'filter' invalid. ${hint} missing in the query`, FILTER_CODE);
}

/**
 * parse-filter-content.util.ts: splits the inside of `conj(...)` on top-level commas (not inside brackets or
 * quotes). Quirk kept: `[` and `]` toggle one flag, and quotes toggle on every occurrence.
 */
function parseFilterContent(filterQuery: string): string[] {
  let withinBrackets = false;
  let withinDoubleQuotes = false;
  let withinSingleQuotes = false;
  let depth = 0;
  const predicates: string[] = [];
  let current = '';
  for (const c of filterQuery) {
    let keep = depth >= 1;
    if (c === '(') depth++;
    if (c === ')') {
      depth--;
      keep = depth >= 1;
    }
    if (c === '[' || c === ']') withinBrackets = !withinBrackets;
    if (c === '"') withinDoubleQuotes = !withinDoubleQuotes;
    if (c === "'") withinSingleQuotes = !withinSingleQuotes;
    if (c === ',' && depth === 1 && !withinBrackets && !withinDoubleQuotes && !withinSingleQuotes) {
      predicates.push(current);
      current = '';
      keep = false;
    }
    if (keep) current += c;
  }
  predicates.push(current);
  return predicates;
}

/** parse-base-filter.util.ts: `field.sub[op]:value`. */
function parseBaseFilter(baseFilter: string): { fields: string[]; comparator: string; value: string } {
  if (!/^(.+)\[(.+)\]:(.+)$/s.test(baseFilter)) {
    throw badRequest(`'filter' invalid for '${baseFilter}'. eg: price[gte]:10`);
  }
  let fields = '';
  let comparator = '';
  let value = '';
  let fillFields = true;
  let fillComparator = false;
  let fillValue = false;
  for (const c of baseFilter) {
    if (fillValue) value += c;
    if (c === ']' && !fillValue) fillComparator = false;
    if (c === ':' && !fillComparator) fillValue = true;
    if (fillComparator) comparator += c;
    if (c === '[' && fillFields) {
      fillFields = false;
      fillComparator = true;
    }
    if (fillFields) fields += c;
  }
  if (!(COMPARATORS as readonly string[]).includes(comparator)) {
    throw badRequest(
      `'filter' invalid for '${baseFilter}', comparator ${comparator} not in ${COMPARATORS.join(', ')}`,
    );
  }
  return { fields: fields.split('.'), comparator, value };
}

/**
 * format-field-values.util.ts without field types (the REST parser has none): `[in]`/`[containsAny]` values are
 * split naively on commas, and quotes are stripped only when a value both starts and ends with one.
 */
function formatFieldValue(value: string, comparator?: string): string | string[] {
  if (comparator === 'in' || comparator === 'containsAny') {
    if (value[0] !== '[' || value[value.length - 1] !== ']') {
      throw badRequest(
        `'filter' invalid for '${comparator}' operator. Received '${value}' but array value expected eg: 'field[${comparator}]:[value_1,value_2]'`,
      );
    }
    return value
      .substring(1, value.length - 1)
      .split(',')
      .map((item) => formatFieldValue(item) as string);
  }
  if (comparator === 'is') return value;
  const first = value[0];
  const last = value.charAt(value.length - 1);
  if ((first === '"' || first === "'") && (last === '"' || last === "'")) {
    return value.substring(1, value.length - 1);
  }
  return value;
}

function parseFilterExpression(filterQuery: string): FilterNode {
  const match = ROOT_CONJUNCTION.exec(filterQuery);
  if (match) {
    const conjunction = match[1] as (typeof CONJUNCTIONS)[number];
    const children = parseFilterContent(filterQuery).map(parseFilterExpression);
    if (conjunction === 'not') {
      if (children.length > 1) {
        throw badRequest(
          `'filter' invalid. 'not' conjunction should contain only 1 condition. eg: not(field[eq]:1)`,
          FILTER_CODE,
        );
      }
      return { not: children[0]! };
    }
    return { [conjunction]: children };
  }
  const { fields, comparator, value } = parseBaseFilter(filterQuery);
  let node: FilterNode = { [comparator]: formatFieldValue(value, comparator) };
  for (const field of [...fields].reverse()) node = { [field]: node };
  return node;
}

/**
 * Parses a REST `filter` string into Twenty's filter object. A string that isn't wholly wrapped in `and(...)`,
 * `or(...)` or `not(...)` gets `and(...)` around it, so a comma list is a conjunction. Quirk kept from
 * add-default-conjunction.util.ts: `and(a),or(b)` also matches the root pattern and is read as one `and`.
 * @example parseFilterQuery('emails.primaryEmail[eq]:"a@b.co"') // { and: [{ emails: { primaryEmail: { eq: 'a@b.co' } } }] }
 * @throws TwentyError (400) with Twenty's message for a malformed filter.
 */
export function parseFilterQuery(filterQuery: string): FilterNode {
  checkFilterQuery(filterQuery);
  const withConjunction = ROOT_CONJUNCTION.test(filterQuery) ? filterQuery : `and(${filterQuery})`;
  return parseFilterExpression(withConjunction);
}

// --- Validation against the object (filter-arg-processor.service.ts) ---

/** A leaf condition after validation: a path on the record, the comparator and its typed value. */
export interface Condition {
  kind: 'condition';
  /** `city`, `emails.primaryEmail`, `companyId`. */
  path: string;
  comparator: Comparator;
  value: unknown;
  valueType: SubFieldType | FieldDef['type'];
}

/** A filter over a related record, e.g. `company.name[eq]:Acme` on people (one hop, MANY_TO_ONE only). */
export interface RelationCondition {
  kind: 'relation';
  joinColumn: string;
  target: ObjectDef;
  filter: CompiledFilter;
}

export type CompiledFilter =
  | { kind: 'and'; children: CompiledFilter[] }
  | { kind: 'or'; children: CompiledFilter[] }
  | { kind: 'not'; child: CompiledFilter }
  | Condition
  | RelationCondition;

const FILTER_ARGS = 'INVALID_ARGS_FILTER';

function asNode(value: FilterValue, where: string): FilterNode {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`Invalid filter value for "${where}"`, FILTER_ARGS);
  }
  return value;
}

function numberValue(raw: unknown, path: string): number {
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (typeof raw === 'string' && raw.trim() === '') {
    throw badRequest(`Invalid number value '${raw}' for field "${path}"`, FILTER_ARGS);
  }
  if (!Number.isFinite(value)) {
    throw badRequest(`Invalid number value '${String(raw)}' for field "${path}"`, FILTER_ARGS);
  }
  return value;
}

function typedValue(raw: unknown, type: Condition['valueType'], path: string): unknown {
  switch (type) {
    case 'NUMBER':
    case 'NUMERIC':
    case 'POSITION':
      return numberValue(raw, path);
    case 'BOOLEAN':
      return typeof raw === 'boolean' ? raw : String(raw).toLowerCase() === 'true';
    case 'UUID':
      // A uuid column rejects anything else (assert-filter-id-operands-are-valid-uuids.util.ts); ids compare lowercase.
      if (typeof raw !== 'string' || !isUuid(raw)) {
        throw badRequest(`Invalid UUID value '${String(raw)}' for field "${path}"`, FILTER_ARGS);
      }
      return raw.toLowerCase();
    default:
      return raw;
  }
}

function leaf(path: string, operators: FilterNode, type: Condition['valueType']): CompiledFilter {
  const entries = Object.entries(operators);
  const conditions: CompiledFilter[] = entries.map(([operator, raw]) => {
    if (!(COMPARATORS as readonly string[]).includes(operator)) {
      throw badRequest(`Invalid operator "${operator}" for field "${path}"`, FILTER_ARGS);
    }
    const comparator = operator as Comparator;
    if (comparator === 'is') {
      if (raw !== 'NULL' && raw !== 'NOT_NULL') {
        throw badRequest(
          `Invalid value '${String(raw)}' for 'is' operator on field "${path}". Expected 'NULL' or 'NOT_NULL'`,
          FILTER_ARGS,
        );
      }
      return { kind: 'condition', path, comparator, value: raw, valueType: type };
    }
    const isList = comparator === 'in' || comparator === 'containsAny';
    let value: unknown = isList
      ? (Array.isArray(raw) ? raw : [raw]).map((item) => typedValue(item, type, path))
      : typedValue(raw, type, path);
    // E-mail filters are canonicalized like stored e-mails (canonicalize-emails-filter-value.util.ts).
    if (path.endsWith('.primaryEmail') || path.endsWith('.additionalEmails')) {
      value = Array.isArray(value)
        ? value.map((item) => (typeof item === 'string' ? canonicalizeEmail(item) : item))
        : typeof value === 'string' && (comparator === 'eq' || comparator === 'neq')
          ? canonicalizeEmail(value)
          : value;
    }
    return { kind: 'condition', path, comparator, value, valueType: type };
  });
  return conditions.length === 1 ? conditions[0]! : { kind: 'and', children: conditions };
}

/** Options of {@link compileFilter}. */
export interface CompileFilterOptions {
  /** Resolves the target object of a MANY_TO_ONE relation (for one-hop relation filters). */
  objectByPlural: (name: string) => ObjectDef | undefined;
}

function compileNode(
  object: ObjectDef,
  node: FilterNode,
  options: CompileFilterOptions,
  depth: number,
): CompiledFilter {
  const children: CompiledFilter[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'and' || key === 'or') {
      const list = Array.isArray(value) ? (value as FilterNode[]) : [asNode(value, key)];
      const compiled = list.map((child) => compileNode(object, child, options, depth));
      children.push(compiled.length === 1 ? compiled[0]! : { kind: key, children: compiled });
      continue;
    }
    if (key === 'not') {
      children.push({ kind: 'not', child: compileNode(object, asNode(value, key), options, depth) });
      continue;
    }
    const byName = object.fieldsByName.get(key);
    const joinField = object.joinColumns.get(key);
    if (byName?.type === 'RELATION') {
      children.push(compileRelation(byName, asNode(value, key), options, depth));
      continue;
    }
    const field = byName ?? joinField;
    if (!field) {
      throw badRequest(`Object ${object.nameSingular} doesn't have any "${key}" field.`, FILTER_ARGS);
    }
    const subFields = COMPOSITE_TYPES[field.type];
    const operators = asNode(value, key);
    if (subFields) {
      for (const [subName, subOperators] of Object.entries(operators)) {
        const sub = subFields.find((candidate) => candidate.name === subName);
        if (!sub) {
          throw badRequest(`Sub field "${subName}" not found for composite type: ${field.type}`, FILTER_ARGS);
        }
        children.push(leaf(`${key}.${subName}`, asNode(subOperators, `${key}.${subName}`), sub.type));
      }
      continue;
    }
    children.push(leaf(key, operators, joinField ? 'UUID' : field.type));
  }
  return children.length === 1 ? children[0]! : { kind: 'and', children };
}

function compileRelation(
  field: FieldDef,
  node: FilterNode,
  options: CompileFilterOptions,
  depth: number,
): CompiledFilter {
  const relation = field.relation!;
  const joinColumn = relation.joinColumn;
  if (relation.kind !== 'MANY_TO_ONE') {
    throw badRequest(`Cannot filter by relation field "${field.name}"`, FILTER_ARGS);
  }
  const target = relation.target ? options.objectByPlural(relation.target) : undefined;
  const isTraversal =
    target !== undefined &&
    Object.keys(node).some(
      (key) =>
        key === 'and' ||
        key === 'or' ||
        key === 'not' ||
        target.fieldsByName.has(key) ||
        target.joinColumns.has(key),
    );
  if (!target || !isTraversal) {
    throw badRequest(
      `Cannot filter by relation field "${field.name}": use "${joinColumn}" instead`,
      FILTER_ARGS,
    );
  }
  if (depth >= 1) {
    throw badRequest('Relation filter nesting deeper than 1 hop is not supported', FILTER_ARGS);
  }
  return { kind: 'relation', joinColumn, target, filter: compileNode(target, node, options, depth + 1) };
}

/**
 * Validates a parsed filter against an object and types its values (numbers for NUMBER fields, canonical e-mails).
 * @throws TwentyError (400) for unknown fields, sub-fields or operators, with the filter-arg processor's messages.
 */
export function compileFilter(
  object: ObjectDef,
  filter: FilterNode,
  options: CompileFilterOptions,
): CompiledFilter {
  return compileNode(object, filter, options, 0);
}

/** Whether a filter mentions `deletedAt` anywhere; then soft-deleted records are included (applyDeletedAtToBuilder). */
export function mentionsDeletedAt(filter: CompiledFilter): boolean {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return filter.children.some(mentionsDeletedAt);
    case 'not':
      return mentionsDeletedAt(filter.child);
    case 'condition':
      return filter.path === 'deletedAt';
    case 'relation':
      return false;
  }
}

// --- Evaluation ---

/** `true`, `false`, or `null` for SQL's unknown. */
type Truth = boolean | null;

/** Resolves a related record for relation filters. */
export type RelatedLookup = (target: ObjectDef, id: string) => Record<string, unknown> | undefined;

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

function likeToRegExp(pattern: string, flags: string): RegExp {
  let source = '';
  for (const c of pattern) {
    if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, `s${flags}`);
}

const regExpCache = new Map<string, RegExp>();

function cachedLike(pattern: string, flags: string): RegExp {
  const key = `${flags}:${pattern}`;
  let regexp = regExpCache.get(key);
  if (!regexp) {
    if (regExpCache.size > 1_000) regExpCache.clear();
    regexp = likeToRegExp(pattern, flags);
    regExpCache.set(key, regexp);
  }
  return regexp;
}

function evaluateCondition(condition: Condition, record: Record<string, unknown>): Truth {
  const raw = readPath(record, condition.path);
  const actual = raw === undefined ? null : raw;
  const { comparator, value } = condition;
  if (comparator === 'is') return value === 'NULL' ? actual === null : actual !== null;
  if (actual === null) return null;
  switch (comparator) {
    case 'eq':
      return typeof actual === 'object' ? JSON.stringify(actual) === JSON.stringify(value) : actual === value;
    case 'neq':
      return typeof actual === 'object' ? JSON.stringify(actual) !== JSON.stringify(value) : actual !== value;
    case 'in':
      return (value as unknown[]).includes(actual);
    case 'containsAny':
      return Array.isArray(actual) && (value as unknown[]).some((item) => actual.includes(item));
    case 'gt':
      return compare(actual, value) > 0;
    case 'gte':
      return compare(actual, value) >= 0;
    case 'lt':
      return compare(actual, value) < 0;
    case 'lte':
      return compare(actual, value) <= 0;
    // Twenty builds LIKE patterns: startsWith → 'v%', endsWith → '%v', like/ilike take the pattern as given.
    case 'startsWith':
      return String(actual).startsWith(String(value));
    case 'endsWith':
      return String(actual).endsWith(String(value));
    case 'like':
      return cachedLike(String(value), '').test(String(actual));
    case 'ilike':
      return cachedLike(String(value), 'i').test(String(actual));
  }
}

function evaluate(filter: CompiledFilter, record: Record<string, unknown>, related: RelatedLookup): Truth {
  switch (filter.kind) {
    case 'condition':
      return evaluateCondition(filter, record);
    case 'and': {
      let unknown = false;
      for (const child of filter.children) {
        const truth = evaluate(child, record, related);
        if (truth === false) return false;
        if (truth === null) unknown = true;
      }
      return unknown ? null : true;
    }
    case 'or': {
      let unknown = false;
      for (const child of filter.children) {
        const truth = evaluate(child, record, related);
        if (truth === true) return true;
        if (truth === null) unknown = true;
      }
      return unknown ? null : false;
    }
    case 'not': {
      const truth = evaluate(filter.child, record, related);
      return truth === null ? null : !truth;
    }
    case 'relation': {
      // A LEFT JOIN: no related row means every column of it is NULL.
      const id = record[filter.joinColumn];
      const target = typeof id === 'string' ? related(filter.target, id) : undefined;
      return evaluate(filter.filter, target ?? {}, related);
    }
  }
}

/** Whether a record matches (SQL semantics: an unknown result does not match). */
export function matches(
  filter: CompiledFilter,
  record: Record<string, unknown>,
  related: RelatedLookup,
): boolean {
  return evaluate(filter, record, related) === true;
}

/**
 * Conditions that every match must satisfy and that an index can answer: `eq`/`in` on a path, found among the
 * top-level `and` chain. The planner picks the most selective one.
 */
export function indexableConditions(filter: CompiledFilter): Condition[] {
  if (filter.kind === 'condition') {
    return (filter.comparator === 'eq' || filter.comparator === 'in') && filter.value !== null
      ? [filter]
      : [];
  }
  if (filter.kind === 'and') return filter.children.flatMap(indexableConditions);
  return [];
}
