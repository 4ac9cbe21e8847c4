// Epoch seconds have been above 1e9 since 2001; no API sends a reset delta that long, so the size tells them apart.
// Epoch milliseconds (some APIs send those) have been above 1e12 since 2001, a size epoch seconds reach in 33658.
const EPOCH_SECONDS_THRESHOLD = 1e9;
const EPOCH_MS_THRESHOLD = 1e12;
// Delay-seconds are digits (RFC 9110); a fraction is tolerated, a sign, an exponent, Infinity or NaN are not.
const SECONDS = /^\d+(\.\d+)?$/;
// The three HTTP-date forms of RFC 9110 §5.6.7. Date.parse alone would read "1, 2" or "2025" as dates.
const HTTP_DATE = new RegExp(
  [
    /(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT/
      .source,
    /(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2} \d{2}:\d{2}:\d{2} GMT/
      .source,
    /(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4}/
      .source,
  ].join('|'),
  'g',
);

/**
 * How long the server asks us to wait, in ms: `Retry-After` (seconds or HTTP-date) wins; else
 * `X-RateLimit-Reset` / `RateLimit-Reset` (epoch milliseconds when > 1e12, epoch seconds when > 1e9, else delta seconds). Past → 0;
 * absent or unreadable (negative, NaN, `Infinity`, a date in another format) → undefined. Several values
 * (a repeated header, several policies) → the longest. Always a finite whole number of ms: a hint of years
 * stays a number the caller can compare with its own ceiling.
 * @example parseRetryAfterMs(new Headers({ 'Retry-After': '120' })); // 120_000
 */
export function parseRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  // A hint reader: anything but Headers and a finite clock reads as "no hint", never as a throw.
  if (!(headers instanceof Headers) || typeof now !== 'number' || !Number.isFinite(now)) return undefined;
  return parseRetryAfterValue(headers.get('retry-after'), now) ?? reset(headers, now);
}

/** A `Retry-After` value alone (seconds or HTTP-date, the longest of several) in ms; unreadable → undefined. */
export function parseRetryAfterValue(value: string | null, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  // A repeated header arrives joined with ", " (and an HTTP-date has a comma of its own).
  const numbers = text.split(',').map((part) => part.trim());
  if (numbers.every((part) => SECONDS.test(part))) return longest(numbers.map((part) => Number(part) * 1000));
  const dates = text.match(HTTP_DATE);
  if (!dates || text.replace(HTTP_DATE, '').replace(/[\s,]/g, '') !== '') return undefined;
  return longest(dates.map((date) => Date.parse(date) - now));
}

function reset(headers: Headers, now: number): number | undefined {
  return parseResetMs(headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset'), now);
}

/** How a rate-limit reset header counts: guessed by magnitude (`auto`), or named when the server documents it. */
export type ResetUnit = 'auto' | 'epoch-ms' | 'epoch-s' | 'delta-s' | 'delta-ms';

/**
 * The wait a rate-limit reset value names, in ms (see {@link parseRetryAfterMs} for `auto`); several values
 * (policies) → the longest; unreadable → undefined. For limiters told a vendor's reset header.
 * @example parseResetMs('1700000060000', 1_700_000_000_000, 'epoch-ms'); // 60_000
 */
export function parseResetMs(
  value: string | null,
  now: number,
  unit: ResetUnit = 'auto',
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  // Several policies may answer at once ("60, 3600"): wait for the latest so none is still exhausted.
  const waits: number[] = [];
  for (const part of text.split(',')) {
    const item = part.trim();
    if (!SECONDS.test(item)) continue;
    const value = Number(item);
    const read =
      unit === 'auto'
        ? value > EPOCH_MS_THRESHOLD
          ? 'epoch-ms'
          : value > EPOCH_SECONDS_THRESHOLD
            ? 'epoch-s'
            : 'delta-s'
        : unit;
    if (read === 'epoch-ms') waits.push(value - now);
    else if (read === 'epoch-s') waits.push(value * 1000 - now);
    else waits.push(read === 'delta-s' ? value * 1000 : value);
  }
  return longest(waits);
}

function longest(waits: number[]): number | undefined {
  const readable = waits.filter((ms) => !Number.isNaN(ms));
  if (readable.length === 0) return undefined;
  return Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.ceil(Math.max(...readable))));
}
