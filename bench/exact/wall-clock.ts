// Exact Online's dates are Dutch wall-clock time (its `/Date(ms)/` values and the `datetime'…'` literals of a
// `$filter` alike), so a loop that filters on `Modified` by its own clock writes the instant in Europe/Amsterdam.

const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The instant `ms` (epoch ms) as an Exact `datetime'…'` literal: Amsterdam time, to the millisecond. */
export function exactDateTime(ms: number): string {
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    parts.formatToParts(ms).find((part) => part.type === type)!.value;
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return `datetime'${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}.${millis}'`;
}
