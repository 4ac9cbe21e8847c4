import { withoutQuotedText } from './hogql-text.ts';

// PostHog refuses OFFSET in HogQL sent with a personal API key ("OFFSET is not supported on queries made with a
// personal API key. For pagination, use keyset pagination on the `timestamp` column…", PostHog/posthog
// `posthog/hogql/user_query_validator.py`), so a HogQL export pages by keyset or not at all:
// - `keyset`: the SQL names the placeholders {after_timestamp} and {after_uuid}; each page binds them (as values,
//   never in the text) to the last row's timestamp and uuid, and `LIMIT n` is appended;
// - `capped`: no LIMIT of its own: `LIMIT 50000` (PostHog's most) is appended, one page;
// - `as-written`: a LIMIT or a UNION of its own (an appended LIMIT would bind to the UNION's last SELECT only).

/** How a HogQL export runs its SQL. */
export type HogQLPaging = 'keyset' | 'capped' | 'as-written';

/** The placeholders of a keyset-paged HogQL export, filled from the last row of each page. */
export const KEYSET_PLACEHOLDERS = { timestamp: 'after_timestamp', uuid: 'after_uuid' } as const;

const LIMIT_OR_UNION = /\b(?:limit|union)\b/i;
const TRAILING = /[\s;]+$/;
const placeholder = (name: string) => new RegExp(`\\{\\s*${name}\\s*\\}`);

/** How `sql` is paged (outside quotes and comments: a quoted `limit` is no clause). */
export function hogQLPaging(sql: string): HogQLPaging {
  const code = withoutQuotedText(sql);
  if (LIMIT_OR_UNION.test(code)) return 'as-written';
  const keyset =
    placeholder(KEYSET_PLACEHOLDERS.timestamp).test(code) && placeholder(KEYSET_PLACEHOLDERS.uuid).test(code);
  return keyset ? 'keyset' : 'capped';
}

/**
 * `sql` with `LIMIT limit` appended on a line of its own (so after a trailing `-- comment` too), a trailing
 * semicolon dropped. `limit` must be a positive safe integer.
 */
export function withLimit(sql: string, limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError('limit must be a positive safe integer');
  return `${sql.replace(TRAILING, '')}\nLIMIT ${limit}`;
}
