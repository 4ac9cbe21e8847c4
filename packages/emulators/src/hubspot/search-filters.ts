// The filters of a CRM search: `filterGroups` are ORed, the filters inside a group ANDed (search guide,
// developers.hubspot.com/docs/api-reference/search/guide, "Filter search results"). At most 5 groups, 6 filters per
// group and 18 filters in all (same guide, "Limitations"; wire notes). Operators are the `Filter.operator` enum of
// the 2026-03 objects spec: EQ, NEQ, LT, LTE, GT, GTE, BETWEEN (`value` to `highValue`), IN / NOT_IN (`values`),
// HAS_PROPERTY / NOT_HAS_PROPERTY (no value), CONTAINS_TOKEN / NOT_CONTAINS_TOKEN (a token, `*` as wildcard: the
// guide's `*@hubspot.com` example). Strings compare case-insensitively (the guide: IN values "must be lowercase"
// for string properties, since HubSpot lowercases them); numbers numerically; dates as epoch milliseconds or ISO
// 8601, whichever the value is (the guide's date filters send epoch ms).

import { validationError } from './errors.ts';

/** The search operators (`Filter.operator`). */
export const SEARCH_OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;

/** One search operator. */
export type SearchOperator = (typeof SEARCH_OPERATORS)[number];

/** One checked filter. */
export interface SearchFilter {
  propertyName: string;
  operator: SearchOperator;
  value?: string;
  highValue?: string;
  values?: string[];
}

/** HubSpot's filter limits. */
export const FILTER_LIMITS = { groups: 5, filtersPerGroup: 6, filters: 18 } as const;

const OPERATORS: ReadonlySet<string> = new Set(SEARCH_OPERATORS);
const DATE_PROPERTIES = new Set([
  'createdate',
  'hs_createdate',
  'lastmodifieddate',
  'hs_lastmodifieddate',
  'closedate',
]);

const scalar = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;

/** Checks `filterGroups` against HubSpot's shape and limits; answers them typed, or throws a 400. */
export function checkFilterGroups(raw: unknown): SearchFilter[][] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw validationError('filterGroups must be an array');
  if (raw.length > FILTER_LIMITS.groups) {
    throw validationError(
      `Too many filter groups: ${raw.length}. A search allows at most ${FILTER_LIMITS.groups}.`,
    );
  }
  let total = 0;
  const groups = raw.map((group: unknown) => {
    const filters = (group as { filters?: unknown } | null)?.filters;
    if (!Array.isArray(filters)) throw validationError('Each filter group needs a filters array');
    if (filters.length > FILTER_LIMITS.filtersPerGroup) {
      throw validationError(
        `Too many filters in a group: ${filters.length}. A group allows at most ${FILTER_LIMITS.filtersPerGroup}.`,
      );
    }
    total += filters.length;
    return filters.map((item: unknown) => checkFilter(item));
  });
  if (total > FILTER_LIMITS.filters) {
    throw validationError(
      `Too many filters: ${total}. A search allows at most ${FILTER_LIMITS.filters} in all.`,
    );
  }
  return groups;
}

function checkFilter(raw: unknown): SearchFilter {
  const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const { propertyName, operator } = item;
  if (typeof propertyName !== 'string' || propertyName === '') {
    throw validationError('Each filter needs a propertyName');
  }
  if (typeof operator !== 'string' || !OPERATORS.has(operator)) {
    throw validationError(`Unknown filter operator ${String(operator)} for ${propertyName}`);
  }
  const filter: SearchFilter = { propertyName, operator: operator as SearchOperator };
  const value = scalar(item.value);
  const highValue = scalar(item.highValue);
  if (value !== undefined) filter.value = value;
  if (highValue !== undefined) filter.highValue = highValue;
  if (Array.isArray(item.values)) filter.values = item.values.map((v) => scalar(v) ?? '');
  const needs = (ok: boolean, what: string) => {
    if (!ok) throw validationError(`The ${operator} filter on ${propertyName} needs ${what}`);
  };
  if (operator === 'IN' || operator === 'NOT_IN') needs(filter.values !== undefined, 'values');
  else if (operator === 'BETWEEN')
    needs(value !== undefined && highValue !== undefined, 'value and highValue');
  else if (operator !== 'HAS_PROPERTY' && operator !== 'NOT_HAS_PROPERTY')
    needs(value !== undefined, 'a value');
  return filter;
}

function toMs(text: string): number | undefined {
  if (/^-?\d+$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** Orders two property values: numbers numerically, dates by time, anything else case-insensitively. */
export function compareValues(property: string, a: string, b: string): number {
  if (DATE_PROPERTIES.has(property)) {
    const left = toMs(a);
    const right = toMs(b);
    if (left !== undefined && right !== undefined) return left - right;
  }
  const left = Number(a);
  const right = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(left) && Number.isFinite(right))
    return left - right;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function containsToken(held: string, token: string): boolean {
  const pattern = new RegExp(
    `^${token
      .toLowerCase()
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    's',
  );
  const text = held.toLowerCase();
  return pattern.test(text) || text.split(/[\s,;]+/).some((word) => pattern.test(word));
}

/** A property's value, own properties only (a filter on `__proto__` or `constructor` names nothing). */
export function ownValue(properties: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(properties, name) ? properties[name] : undefined;
}

/** Whether a record's properties satisfy one filter. */
export function matchesFilter(properties: Record<string, string>, filter: SearchFilter): boolean {
  const held = ownValue(properties, filter.propertyName);
  const has = held !== undefined && held !== '';
  const cmp = (other: string) => compareValues(filter.propertyName, held ?? '', other);
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'EQ':
      return has && cmp(filter.value!) === 0;
    case 'NEQ':
      return !has || cmp(filter.value!) !== 0;
    case 'LT':
      return has && cmp(filter.value!) < 0;
    case 'LTE':
      return has && cmp(filter.value!) <= 0;
    case 'GT':
      return has && cmp(filter.value!) > 0;
    case 'GTE':
      return has && cmp(filter.value!) >= 0;
    case 'BETWEEN':
      return has && cmp(filter.value!) >= 0 && cmp(filter.highValue!) <= 0;
    case 'IN':
      return has && filter.values!.some((value) => cmp(value) === 0);
    case 'NOT_IN':
      return !has || !filter.values!.some((value) => cmp(value) === 0);
    case 'CONTAINS_TOKEN':
      return has && containsToken(held, filter.value!);
    case 'NOT_CONTAINS_TOKEN':
      return !has || !containsToken(held, filter.value!);
  }
}

/** Whether a record passes the groups (any group whose filters all hold; no groups: every record). */
export function matchesGroups(properties: Record<string, string>, groups: SearchFilter[][]): boolean {
  if (groups.length === 0) return true;
  return groups.some((group) => group.every((filter) => matchesFilter(properties, filter)));
}
