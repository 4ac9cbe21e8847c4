import { IntegrationError, toJsonValue } from '@patchbay/core';

/** Twenty's filter comparators. */
export type Comparator =
  | 'eq'
  | 'neq'
  | 'in'
  | 'containsAny'
  | 'is'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'startsWith'
  | 'endsWith'
  | 'like'
  | 'ilike';

type Scalar = string | number | boolean;

/** Conditions on one field: `{ eq: 'x' }`, `{ in: ['a', 'b'] }`, `{ is: 'NULL' }`, `{ gte: 10, lt: 20 }`. */
export type FieldCondition = {
  eq?: Scalar;
  neq?: Scalar;
  in?: readonly Scalar[];
  containsAny?: readonly Scalar[];
  is?: 'NULL' | 'NOT_NULL';
  gt?: Scalar;
  gte?: Scalar;
  lt?: Scalar;
  lte?: Scalar;
  startsWith?: string;
  endsWith?: string;
  like?: string;
  ilike?: string;
};

/**
 * A Twenty filter: field conditions keyed by (dotted) field name, all ANDed, or `and`/`or`/`not` groups.
 * `F` narrows the known field names; custom fields are always allowed.
 * @example { 'emails.primaryEmail': { eq: 'ada@example.com' } }
 * @example { or: [{ city: { eq: 'Paris' } }, { jobTitle: { ilike: '%CTO%' } }] }
 */
export type TwentyFilter<F extends string = string> =
  | { and: readonly TwentyFilter<F>[] }
  | { or: readonly TwentyFilter<F>[] }
  | { not: TwentyFilter<F> }
  | ({ [K in F]?: FieldCondition } & { [custom: string]: FieldCondition | undefined });

const GROUPS = new Set(['and', 'or', 'not']);

/**
 * Serializes a filter to Twenty's `filter=` grammar (`field[op]:value`, `and(...)`, `or(...)`, `not(...)`).
 * Values the server's parser cannot carry (it splits `[in]` lists on every comma and tracks quotes and
 * brackets naively) are refused with `VALIDATION_ERROR` naming the field, rather than sent and misread.
 * @example serializeFilter({ externalId: { in: ['a', 'b'] } }) // 'externalId[in]:["a","b"]'
 */
export function serializeFilter(filter: TwentyFilter | string): string {
  if (typeof filter === 'string') return filter;
  // Read once into plain data: a getter or Proxy that throws, a cycle or a BigInt is a VALIDATION_ERROR naming
  // where it sits, never a TypeError (a Date becomes its ISO string, as JSON has it).
  const plain = toJsonValue(filter, { field: 'filter' });
  if (!plain.success) throw plain.error;
  if (typeof plain.data !== 'object' || plain.data === null || Array.isArray(plain.data)) {
    throw invalidRoot('must be an object or a filter string');
  }
  return serializePlain(plain.data as TwentyFilter);
}

function serializePlain(filter: TwentyFilter): string {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw invalidRoot('each group member must be a filter object');
  }
  const parts = conditions(filter);
  if (parts.length === 0) throw invalid('filter', 'is empty');
  return parts.length === 1 ? (parts[0] as string) : `and(${parts.join(',')})`;
}

function conditions(filter: TwentyFilter): string[] {
  const record = filter as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && GROUPS.has(keys[0] as string)) {
    const key = keys[0] as 'and' | 'or' | 'not';
    if (key === 'not') return [`not(${serializePlain(record.not as TwentyFilter)})`];
    const members = record[key];
    if (!Array.isArray(members) || members.length === 0) throw invalid(key, 'needs at least one condition');
    return [`${key}(${members.map((m: TwentyFilter) => serializePlain(m)).join(',')})`];
  }
  const out: string[] = [];
  for (const field of keys) {
    const condition = record[field] as FieldCondition | undefined;
    if (condition === undefined) continue;
    if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) {
      throw invalid(field, 'must be an object of comparators, e.g. { eq: value }');
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(field))
      throw invalid(field, 'is not a field name');
    for (const [op, value] of Object.entries(condition)) {
      if (value === undefined) continue;
      out.push(`${field}[${op}]:${formatValue(field, op as Comparator, value)}`);
    }
  }
  return out;
}

function formatValue(field: string, op: Comparator, value: unknown): string {
  if (op === 'is') {
    if (value !== 'NULL' && value !== 'NOT_NULL') throw invalid(field, "[is] takes 'NULL' or 'NOT_NULL'");
    return value;
  }
  if (op === 'in' || op === 'containsAny') {
    if (!Array.isArray(value) || value.length === 0) throw invalid(field, `[${op}] needs a non-empty array`);
    return `[${value
      .map((v: unknown) => {
        if (typeof v === 'string' && v.includes(',')) {
          throw invalid(field, `[${op}] values cannot contain a comma (Twenty splits the list on commas)`);
        }
        return scalar(field, v);
      })
      .join(',')}]`;
  }
  return scalar(field, value);
}

function scalar(field: string, value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw invalid(field, 'values must be strings, numbers or booleans');
  if (/[[\]()]/.test(value) || (value.includes('"') && value.includes("'"))) {
    throw invalid(field, 'value contains characters Twenty cannot parse in a filter');
  }
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

const invalid = (field: string, problem: string) =>
  new IntegrationError('VALIDATION_ERROR', `Invalid filter: ${field} ${problem}`, {
    field: `filter.${field}`,
  });

const invalidRoot = (problem: string) =>
  new IntegrationError('VALIDATION_ERROR', `Invalid filter: ${problem}`, { field: 'filter' });
