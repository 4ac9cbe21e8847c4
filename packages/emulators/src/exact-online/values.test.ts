import { describe, expect, it } from 'vitest';
import { amsterdamWallClock, exactDate, guidFrom, isGuid, parseExactDate } from './values.ts';

describe('Exact wire values', () => {
  it('writes dates as Dutch wall-clock time: +1 h in winter, +2 h in summer', () => {
    const winter = Date.UTC(2026, 0, 15, 12, 0, 0);
    const summer = Date.UTC(2026, 6, 15, 12, 0, 0, 250);
    expect(amsterdamWallClock(winter) - winter).toBe(3_600_000);
    expect(amsterdamWallClock(summer) - summer).toBe(7_200_000);
    expect(exactDate(winter)).toBe(`/Date(${winter + 3_600_000})/`);
  });

  it('parses /Date(ms)/ and nothing else', () => {
    expect(parseExactDate('/Date(1700000000000)/')).toBe(1_700_000_000_000);
    expect(parseExactDate('/Date(-5)/')).toBe(-5);
    expect(parseExactDate('2026-01-01')).toBeUndefined();
    expect(parseExactDate(5)).toBeUndefined();
  });

  it('makes lower-case v4-shaped GUIDs', () => {
    let n = 0;
    const guid = guidFrom(() => (n++ % 16) / 16);
    expect(isGuid(guid)).toBe(true);
    expect(guid).toBe(guid.toLowerCase());
    expect(isGuid('nope')).toBe(false);
  });
});
