import { type ApiResult, err, IntegrationError, invalidInput, ok } from '@patchbay/core';

/** A span back from the run's `now`: hours (`24h`), days (`7d`, `30d`), weeks (`1w`) or calendar months (`1m`). */
export const RELATIVE_SPAN = /^([1-9]\d{0,3})([hdwm])$/;

/** Where a relative range ends: at `now`, or at the start of `now`'s hour or day (UTC), for whole periods. */
export const RANGE_ENDS = ['now', 'startOfHour', 'startOfDay'] as const;

/**
 * A report's date range, relative to the run's `now`: `{ last: '7d' }` (the 7 days before now), with `until:
 * 'startOfDay'` for the 7 whole days (UTC) before today; or a function answering `{ from, to }` (dates, ISO text or
 * epoch milliseconds) for anything else (a time zone, a calendar week).
 */
export type ReportRange =
  | { last: string; until?: (typeof RANGE_ENDS)[number] }
  | ((now: Date) => { from: Date | string | number; to: Date | string | number });

/** A range resolved for one run: ISO 8601 instants, `from` before `to`. */
export interface ResolvedRange {
  from: string;
  to: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The instants of `range` for a run at `now`. A function that throws is `OPERATION_FAILED`; one that answers
 * something other than two dates with `from` before `to` is `VALIDATION_ERROR` naming `range.from` or `range.to`.
 */
export function resolveRange(range: ReportRange, now: Date): ApiResult<ResolvedRange> {
  if (typeof range === 'function') return callRange(range, now);
  const match = RELATIVE_SPAN.exec(range.last);
  if (!match) return err(invalidInput('range.last', 'must be a span such as 24h, 7d, 1w or 1m'));
  const to = endOf(now.getTime(), range.until ?? 'now');
  const count = Number(match[1]);
  const unit = match[2];
  const from =
    unit === 'm'
      ? monthsBefore(to, count)
      : to - count * (unit === 'h' ? HOUR : unit === 'd' ? DAY : 7 * DAY);
  return ok({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
}

function endOf(now: number, until: (typeof RANGE_ENDS)[number]): number {
  if (until === 'startOfHour') return now - (now % HOUR);
  if (until === 'startOfDay') return now - (now % DAY);
  return now;
}

// The same time `count` calendar months earlier, the day clamped to that month's last (31 March - 1m = 28/29 Feb).
function monthsBefore(time: number, count: number): number {
  const date = new Date(time);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() - count);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime();
}

function callRange(range: (now: Date) => unknown, now: Date): ApiResult<ResolvedRange> {
  let answer: unknown;
  let from: unknown;
  let to: unknown;
  try {
    // A copy: the function may change the date it is given.
    answer = range(new Date(now.getTime()));
    if (typeof answer !== 'object' || answer === null) {
      return err(invalidInput('range', 'must answer { from, to }'));
    }
    ({ from, to } = answer as { from?: unknown; to?: unknown });
  } catch (error) {
    return err(
      new IntegrationError('OPERATION_FAILED', 'The report range function threw', {
        field: 'range',
        retryable: false,
        cause: error instanceof Error ? error : undefined,
      }),
    );
  }
  const fromTime = instant(from);
  if (fromTime === undefined)
    return err(invalidInput('range.from', 'must be a date, ISO 8601 text or epoch milliseconds'));
  const toTime = instant(to);
  if (toTime === undefined)
    return err(invalidInput('range.to', 'must be a date, ISO 8601 text or epoch milliseconds'));
  if (fromTime >= toTime) return err(invalidInput('range.from', 'must be before range.to'));
  return ok({ from: new Date(fromTime).toISOString(), to: new Date(toTime).toISOString() });
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const MAX_TIME = 8.64e15;

function instant(value: unknown): number | undefined {
  let time: number | undefined;
  if (value instanceof Date) time = value.getTime();
  else if (typeof value === 'number') time = value;
  else if (typeof value === 'string' && ISO_DATE.test(value)) time = Date.parse(value);
  return time !== undefined && Number.isFinite(time) && Math.abs(time) <= MAX_TIME ? time : undefined;
}
