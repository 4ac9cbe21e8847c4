// Wire values of Exact Online's OData v2 JSON. Dates are `/Date(ms)/` holding Dutch wall-clock time (CET/CEST) as if
// it were UTC, not UTC itself (wire notes); Int64 values such as `Timestamp` arrive as JSON strings (OData v2 JSON
// verbose format, which writes Edm.Int64 as a string); keys are lower-case GUIDs.

const amsterdam = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Amsterdam',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The Amsterdam wall-clock reading of `utcMs`, as epoch ms of that reading taken as UTC. */
export function amsterdamWallClock(utcMs: number): number {
  const parts = Object.fromEntries(amsterdam.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall + (((utcMs % 1000) + 1000) % 1000);
}

/** `/Date(ms)/` of the Dutch wall-clock time at `utcMs`. */
export function exactDate(utcMs: number): string {
  return `/Date(${amsterdamWallClock(utcMs)})/`;
}

/** The ms of a `/Date(ms)/` value, or undefined for anything else. */
export function parseExactDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value);
  return match ? Number(match[1]) : undefined;
}

/** A lower-case GUID from a PRNG in [0, 1). */
export function guidFrom(random: () => number): string {
  // Eight hex digits per draw: four draws, not 32 (seeding 50 000 records must stay fast).
  const hex8 = () =>
    Math.floor(random() * 4_294_967_296)
      .toString(16)
      .padStart(8, '0');
  const hex = hex8() + hex8() + hex8() + hex8();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Whether `value` is a GUID (any case). */
export function isGuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
