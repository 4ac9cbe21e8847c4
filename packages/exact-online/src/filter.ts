// `$filter` text built from values, never from the caller's strings: every value is written as an OData literal
// (a string quoted with `'` doubled, a GUID checked before `guid'…'`, a date as Amsterdam wall-clock
// `datetime'…'`, an Int64 as `…L`) and every field name checked, so no value can end a literal and add a clause.
// A builder never throws: a bad value makes a filter that carries the problem, and the call using it answers
// `VALIDATION_ERROR` before any request.
import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';
import { isGuid, isInt64Text, utcToAmsterdamWallClock } from './odata.ts';

const FILTER = Symbol('ExactFilter');
const LITERAL = Symbol('ExactLiteral');

/** A `$filter` expression made by {@link exactFilter}; only the builder makes one. */
export interface ExactFilter {
  readonly [FILTER]: { text?: string; problem?: string };
}

/** A typed OData literal (`guid'…'`, `datetime'…'`, `…L`) made by {@link exactFilter}. */
export interface ExactLiteral {
  readonly [LITERAL]: { text?: string; problem?: string };
}

/** A value a comparison takes: text, a finite number, a boolean, null, a Date, or a typed literal. */
export type ExactFilterValue = string | number | boolean | null | Date | ExactLiteral;

const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,99}(?:\/[A-Za-z_][A-Za-z0-9_]{0,99})?$/;
const MAX_TEXT = 2_000;

/** Whether `name` is a property name (or `Navigation/Property`) as Exact's entities have them. */
export function isExactFieldName(name: unknown): name is string {
  return typeof name === 'string' && FIELD.test(name);
}

const filter = (text: string | undefined, problem?: string): ExactFilter => ({
  [FILTER]: problem === undefined ? { text } : { problem },
});
const literal = (text: string | undefined, problem?: string): ExactLiteral => ({
  [LITERAL]: problem === undefined ? { text } : { problem },
});

function isFilter(value: unknown): value is ExactFilter {
  try {
    return typeof value === 'object' && value !== null && FILTER in value;
  } catch {
    return false;
  }
}

function isLiteral(value: unknown): value is ExactLiteral {
  try {
    return typeof value === 'object' && value !== null && LITERAL in value;
  } catch {
    return false;
  }
}

function quote(text: string): { text?: string; problem?: string } {
  if (text.length > MAX_TEXT) return { problem: `must be at most ${MAX_TEXT} characters` };
  // OData v2 escapes a quote inside a string literal by doubling it.
  return { text: `'${text.replaceAll("'", "''")}'` };
}

/** `datetime'…'` of an instant, written as Amsterdam wall-clock time, or what is wrong with the date. */
export function dateTimeText(date: Date): { text?: string; problem?: string } {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) return { problem: 'must be a valid date' };
  // Exact compares dates as Dutch wall-clock time: the instant is written as Amsterdam's local time.
  const iso = new Date(utcToAmsterdamWallClock(ms)).toISOString();
  if (!/^\d{4}-/.test(iso)) return { problem: 'must be a date between the years 0 and 9999' };
  return { text: `datetime'${iso.slice(0, 23)}'` };
}

// A value as an OData literal, read once (a Date or a literal whose getters throw is a problem, not a throw).
function literalText(value: unknown): { text?: string; problem?: string } {
  try {
    if (value === null) return { text: 'null' };
    if (typeof value === 'string') return quote(value);
    if (typeof value === 'boolean') return { text: value ? 'true' : 'false' };
    if (typeof value === 'number') {
      const text = String(value);
      if (!Number.isFinite(value) || /e/i.test(text)) {
        return { problem: 'must be a finite number written without an exponent' };
      }
      return { text };
    }
    if (value instanceof Date) return dateTimeText(value);
    if (isLiteral(value)) return value[LITERAL];
    return { problem: 'must be text, a finite number, a boolean, null, a Date or an exactFilter literal' };
  } catch {
    return { problem: 'could not be read' };
  }
}

function compare(operator: string, field: unknown, value: unknown): ExactFilter {
  if (!isExactFieldName(field)) return filter(undefined, 'a field name must be a property name such as Name');
  const read = literalText(value);
  if (read.text === undefined) return filter(undefined, `the value compared with ${field} ${read.problem}`);
  return filter(`${field} ${operator} ${read.text}`);
}

function call(name: string, field: unknown, value: unknown, fieldFirst: boolean): ExactFilter {
  if (!isExactFieldName(field)) return filter(undefined, 'a field name must be a property name such as Name');
  const read = typeof value === 'string' ? quote(value) : { problem: 'must be text' };
  if (read.text === undefined)
    return filter(undefined, `the text given to ${name}(${field}) ${read.problem}`);
  return filter(fieldFirst ? `${name}(${field},${read.text})` : `${name}(${read.text},${field})`);
}

function join(operator: 'and' | 'or', parts: unknown[]): ExactFilter {
  if (parts.length === 0) return filter(undefined, `${operator}() needs at least one filter`);
  const texts: string[] = [];
  for (const part of parts) {
    if (!isFilter(part)) return filter(undefined, `${operator}() takes only exactFilter expressions`);
    const inner = part[FILTER];
    if (inner.text === undefined) return filter(undefined, inner.problem);
    texts.push(parts.length === 1 ? inner.text : `(${inner.text})`);
  }
  return filter(texts.join(` ${operator} `));
}

/**
 * Builds `$filter` expressions without string concatenation: comparisons of a field with a value, text functions,
 * `and`/`or`/`not`, and the typed literals `guid`, `datetime` and `int64`.
 * @example
 * const f = exactFilter;
 * f.and(f.eq('Name', "O'Brien & Co"), f.gt('Modified', new Date('2026-01-01')), f.eq('ID', f.guid(id)))
 * // Name eq 'O''Brien & Co' and Modified gt datetime'2026-01-01T01:00:00.000' and ID eq guid'…'
 */
export const exactFilter = {
  /** `field eq value`. */
  eq: (field: string, value: ExactFilterValue): ExactFilter => compare('eq', field, value),
  /** `field ne value`. */
  ne: (field: string, value: ExactFilterValue): ExactFilter => compare('ne', field, value),
  /** `field gt value`. */
  gt: (field: string, value: ExactFilterValue): ExactFilter => compare('gt', field, value),
  /** `field ge value`. */
  ge: (field: string, value: ExactFilterValue): ExactFilter => compare('ge', field, value),
  /** `field lt value`. */
  lt: (field: string, value: ExactFilterValue): ExactFilter => compare('lt', field, value),
  /** `field le value`. */
  le: (field: string, value: ExactFilterValue): ExactFilter => compare('le', field, value),
  /** `startswith(field,'text')`. */
  startsWith: (field: string, text: string): ExactFilter => call('startswith', field, text, true),
  /** `endswith(field,'text')`. */
  endsWith: (field: string, text: string): ExactFilter => call('endswith', field, text, true),
  /** `substringof('text',field)`: the field contains the text. */
  contains: (field: string, text: string): ExactFilter => call('substringof', field, text, false),
  /** Every filter holds. */
  and: (...filters: ExactFilter[]): ExactFilter => join('and', filters),
  /** Any filter holds. */
  or: (...filters: ExactFilter[]): ExactFilter => join('or', filters),
  /** The filter does not hold. */
  not: (inner: ExactFilter): ExactFilter => {
    if (!isFilter(inner)) return filter(undefined, 'not() takes an exactFilter expression');
    const read = inner[FILTER];
    return read.text === undefined ? filter(undefined, read.problem) : filter(`not (${read.text})`);
  },
  /** `guid'…'`, checked to be a GUID. */
  guid: (value: string): ExactLiteral =>
    isGuid(value) ? literal(`guid'${value.toLowerCase()}'`) : literal(undefined, 'must be a GUID'),
  /** `datetime'…'` of an instant (a Date or an ISO 8601 text), written as Amsterdam wall-clock time. */
  datetime: (value: Date | string): ExactLiteral => {
    try {
      const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
      const read =
        date === undefined ? { problem: 'must be a Date or an ISO 8601 text' } : dateTimeText(date);
      return literal(read.text, read.problem);
    } catch {
      return literal(undefined, 'could not be read');
    }
  },
  /** `…L`, an Int64 (a bigint, a safe integer or decimal text), e.g. a `Timestamp` row version. */
  int64: (value: bigint | number | string): ExactLiteral => {
    const text =
      typeof value === 'bigint'
        ? value.toString()
        : typeof value === 'number' && Number.isSafeInteger(value)
          ? String(value)
          : typeof value === 'string'
            ? value
            : '';
    return isInt64Text(text) ? literal(`${BigInt(text)}L`) : literal(undefined, 'must be an Int64');
  },
} as const;

/**
 * The text of a filter for `$filter`, or the `VALIDATION_ERROR` (field `filter`) saying what was wrong in it.
 * The error names the field and the problem, never the value.
 */
export function renderExactFilter(value: unknown): ApiResult<string> {
  const read = isFilter(value) ? value[FILTER] : { problem: 'must be made with exactFilter' };
  if (read.text !== undefined) return ok(read.text);
  const message = read.problem ?? 'is not a filter';
  return err(
    new IntegrationError('VALIDATION_ERROR', `Invalid input: filter: ${message}`, {
      field: 'filter',
      issues: [{ field: 'filter', message }],
      retryable: false,
    }),
  );
}
