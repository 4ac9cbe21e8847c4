import { withoutQuotedText } from './hogql-text.ts';

// A HogQL query is paged by appending `LIMIT n OFFSET m` to its text, numbers the exporter makes itself. That is
// only right for a query that has no LIMIT of its own (its own would clash) and no UNION (ClickHouse would apply
// the appended LIMIT to the last SELECT only): such queries run as one page.

const LIMIT_OR_UNION = /\b(?:limit|union)\b/i;
const TRAILING = /[\s;]+$/;

/** True when `sql` must run as one page: it has a LIMIT or a UNION of its own (outside quotes and comments). */
export function runsAsOnePage(sql: string): boolean {
  return LIMIT_OR_UNION.test(withoutQuotedText(sql));
}

/**
 * `sql` with `LIMIT limit OFFSET offset` appended on a line of its own (so after a trailing `-- comment` too), a
 * trailing semicolon dropped. Both numbers must be safe integers, `limit` positive and `offset` not negative.
 */
export function withLimitOffset(sql: string, limit: number, offset: number): string {
  if (!Number.isSafeInteger(limit) || limit < 1 || !Number.isSafeInteger(offset) || offset < 0) {
    throw new RangeError('limit and offset must be safe integers');
  }
  return `${sql.replace(TRAILING, '')}\nLIMIT ${limit} OFFSET ${offset}`;
}
