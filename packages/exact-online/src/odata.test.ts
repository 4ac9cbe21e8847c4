import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  amsterdamWallClockToUtc,
  exactCode,
  exactDateTime,
  exactDateToIso,
  exactGuid,
  exactInt64,
  isGuid,
  isInt64Text,
  odataPageSchema,
  utcToAmsterdamWallClock,
} from './odata.ts';

describe('OData dates', () => {
  it('reads /Date(ms)/ as Amsterdam wall-clock time, in winter and in summer', () => {
    // 2026-01-15 10:00 in Amsterdam (CET, +01:00) is 09:00 UTC.
    expect(exactDateToIso(`/Date(${Date.UTC(2026, 0, 15, 10)})/`)).toBe('2026-01-15T09:00:00.000Z');
    // 2026-07-15 10:00 in Amsterdam (CEST, +02:00) is 08:00 UTC.
    expect(exactDateToIso(`/Date(${Date.UTC(2026, 6, 15, 10)})/`)).toBe('2026-07-15T08:00:00.000Z');
    // Milliseconds are kept; an offset suffix is accepted.
    expect(exactDateToIso(`/Date(${Date.UTC(2026, 0, 1, 0, 0, 0, 250)}+0100)/`)).toBe(
      '2025-12-31T23:00:00.250Z',
    );
  });

  it('round-trips through the wall clock across the DST changes', () => {
    for (const utc of [Date.UTC(2026, 2, 29, 0, 59), Date.UTC(2026, 2, 29, 1, 0), Date.UTC(2026, 9, 25, 2)]) {
      expect(amsterdamWallClockToUtc(utcToAmsterdamWallClock(utc))).toBe(utc);
    }
  });

  it('refuses what is not an OData date', () => {
    for (const text of ['2026-01-01', '/Date()/', '/Date(1e5)/', '/Date(99999999999999999)/', ' /Date(1)/']) {
      expect(exactDateToIso(text)).toBeUndefined();
    }
    expect(exactDateTime.safeParse('yesterday').success).toBe(false);
    expect(exactDateTime.parse(null)).toBeNull();
  });
});

describe('Int64, codes and GUIDs', () => {
  it('keeps Int64 as exact decimal text', () => {
    expect(exactInt64.parse('9223372036854775807')).toBe('9223372036854775807');
    expect(exactInt64.parse(42)).toBe('42');
    expect(exactInt64.parse('007')).toBe('7');
    expect(exactInt64.safeParse('9223372036854775808').success).toBe(false);
    expect(exactInt64.safeParse('1.5').success).toBe(false);
    expect(exactInt64.safeParse(1.5).success).toBe(false);
    expect(isInt64Text('-9223372036854775808')).toBe(true);
  });

  it('trims codes and lower-cases GUIDs', () => {
    expect(exactCode.parse('              1234')).toBe('1234');
    expect(exactGuid.parse('5E4C5B6D-0000-4C3F-8E9A-0123456789AB')).toBe(
      '5e4c5b6d-0000-4c3f-8e9a-0123456789ab',
    );
    expect(exactGuid.safeParse("x' or 1 eq 1").success).toBe(false);
    expect(isGuid('5e4c5b6d-0000-4c3f-8e9a-0123456789ab')).toBe(true);
    expect(isGuid('5e4c5b6d00004c3f8e9a0123456789ab')).toBe(false);
  });
});

describe('odataPageSchema', () => {
  const page = odataPageSchema(z.object({ ID: z.string() }));
  it('reads results and __next', () => {
    expect(page.parse({ d: { results: [{ ID: 'a' }], __next: 'https://x/next' } }).d.__next).toBe(
      'https://x/next',
    );
    expect(page.parse({ d: { results: [] } }).d.results).toEqual([]);
  });
  it('refuses a body without d.results', () => {
    for (const body of [{}, { d: {} }, { d: { results: 'x' } }, { value: [] }, null, '<xml/>']) {
      expect(page.safeParse(body).success).toBe(false);
    }
  });
});
