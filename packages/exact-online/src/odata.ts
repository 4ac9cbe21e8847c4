// Exact Online speaks OData v2 JSON: a list is `{ d: { results: [...], __next? } }`, dates are `/Date(ms)/`, Int64
// values (row versions such as `Timestamp`) arrive as JSON strings, and `Code` fields are right-aligned with
// spaces. The readers here turn those into what a caller expects: ISO dates, Int64 as decimal text, trimmed codes.
import * as z from 'zod/mini';

const AMSTERDAM = 'Europe/Amsterdam';
let amsterdam: Intl.DateTimeFormat | undefined;

// Built on first use: creating it at import time would be a side effect of importing the package.
function amsterdamFormat(): Intl.DateTimeFormat {
  amsterdam ??= new Intl.DateTimeFormat('en-US', {
    timeZone: AMSTERDAM,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return amsterdam;
}

// Amsterdam's wall-clock fields at the instant `utcMs`, read back as if they were UTC (ms dropped).
function wallClockAt(utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of amsterdamFormat().formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

// Amsterdam's offset from UTC at the instant `utcMs`, in ms (3 600 000 in winter, 7 200 000 in summer).
function offsetAt(utcMs: number): number {
  return wallClockAt(utcMs) - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/**
 * The UTC instant of an Amsterdam wall-clock time given as ms (its fields read as UTC): Exact Online's dates hold
 * Dutch local time, not UTC. A time skipped by the spring change maps to the hour after it.
 */
export function amsterdamWallClockToUtc(wallMs: number): number {
  const guess = wallMs - offsetAt(wallMs);
  return wallMs - offsetAt(guess);
}

/** The Amsterdam wall-clock time of a UTC instant, as ms whose UTC fields are the local ones. */
export function utcToAmsterdamWallClock(utcMs: number): number {
  return utcMs + offsetAt(utcMs);
}

const DATE_PATTERN = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/;
// JavaScript dates reach ±8.64e15 ms; Exact's own range is years 1 to 9999.
const MAX_DATE_MS = 8_640_000_000_000_000;

/**
 * An OData v2 date (`/Date(1700000000000)/`, Dutch wall-clock time) as an ISO 8601 UTC string, or undefined when
 * the text is no such date.
 * @example exactDateToIso('/Date(1700000000000)/') // '2023-11-14T21:13:20.000Z' (22:13:20 in Amsterdam)
 */
export function exactDateToIso(value: string): string | undefined {
  const match = DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const wall = Number(match[1]);
  if (!Number.isSafeInteger(wall) || Math.abs(wall) > MAX_DATE_MS) return undefined;
  const utc = amsterdamWallClockToUtc(wall);
  return Math.abs(utc) > MAX_DATE_MS ? undefined : new Date(utc).toISOString();
}

/** A `/Date(ms)/` field read as an ISO 8601 UTC string; null stays null; anything else fails validation. */
export const exactDateTime = z.nullable(
  z.pipe(
    z.string(),
    z.transform((value, context) => {
      const iso = exactDateToIso(value);
      if (iso === undefined) {
        context.issues.push({ code: 'custom', message: 'must be an OData date /Date(ms)/', input: value });
        return z.NEVER;
      }
      return iso;
    }),
  ),
);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Whether `text` is a decimal Int64 (`-9223372036854775808` to `9223372036854775807`). */
export function isInt64Text(text: string): boolean {
  if (!/^-?\d{1,19}$/.test(text)) return false;
  const value = BigInt(text);
  return value >= INT64_MIN && value <= INT64_MAX;
}

/**
 * An Int64 field (Exact sends them as JSON strings; a number is taken when it is a safe integer) as decimal text:
 * precision is never lost to a JavaScript number. Null stays null.
 */
export const exactInt64 = z.nullable(
  z.pipe(
    z.union([z.string(), z.int()]),
    z.transform((value, context) => {
      const text = String(value).trim();
      if (!isInt64Text(text)) {
        context.issues.push({ code: 'custom', message: 'must be an Int64 as decimal text', input: value });
        return z.NEVER;
      }
      return BigInt(text).toString();
    }),
  ),
);

/** A `Code` field (right-aligned, space-padded by Exact) with its padding trimmed. Null stays null. */
export const exactCode = z.nullable(
  z.pipe(
    z.string(),
    z.transform((value) => value.trim()),
  ),
);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a GUID as Exact writes one (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hex, any case). */
export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

/** A GUID field (Exact's `Edm.Guid` keys), lower-cased. Null stays null. */
export const exactGuid = z.nullable(
  z.pipe(
    z.string().check(z.regex(GUID, 'must be a GUID')),
    z.transform((value) => value.toLowerCase()),
  ),
);

/** The envelope of a list page: `{ d: { results, __next? } }`, items validated by `item`. */
export function odataPageSchema<T extends z.ZodMiniType>(item: T) {
  return z.object({
    d: z.object({
      results: z.array(item),
      __next: z.optional(z.nullable(z.string())),
    }),
  });
}

/** Sent on every call: without `Accept: application/json` Exact answers XML. */
export const ACCEPT_JSON: Readonly<Record<string, string>> = { accept: 'application/json' };
