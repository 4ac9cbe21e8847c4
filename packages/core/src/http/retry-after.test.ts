import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from './retry-after.ts';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const parse = (init: Record<string, string>, now = NOW) => parseRetryAfterMs(new Headers(init), now);

describe('parseRetryAfterMs', () => {
  it('reads Retry-After in seconds', () => {
    expect(parse({ 'Retry-After': '120' })).toBe(120_000);
    expect(parse({ 'retry-after': ' 0 ' })).toBe(0);
    expect(parse({ 'Retry-After': '1.5' })).toBe(1_500);
  });

  it('reads Retry-After as an IMF-fixdate HTTP-date', () => {
    expect(parse({ 'Retry-After': 'Sat, 01 Mar 2025 12:00:30 GMT' })).toBe(30_000);
  });

  it('turns a date or a value in the past into 0', () => {
    expect(parse({ 'Retry-After': 'Sat, 01 Mar 2025 11:59:00 GMT' })).toBe(0);
    expect(parse({ 'X-RateLimit-Reset': String(NOW / 1000 - 60) })).toBe(0);
  });

  it('reads the other HTTP-date forms (RFC 850, asctime)', () => {
    expect(parse({ 'Retry-After': 'Saturday, 01-Mar-25 12:01:00 GMT' })).toBe(60_000);
    expect(parse({ 'Retry-After': 'Sat Mar  1 12:00:10 2025' })).toBe(10_000);
  });

  it('keeps a huge hint as a finite number, so a caller can compare it with its ceiling', () => {
    expect(parse({ 'Retry-After': '999999' })).toBe(999_999_000);
    expect(parse({ 'Retry-After': 'Fri, 31 Dec 9999 23:59:59 GMT' })).toBe(
      Date.UTC(9999, 11, 31, 23, 59, 59) - NOW,
    );
    const endless = parse({ 'Retry-After': '9'.repeat(400) });
    expect(endless).toBe(Number.MAX_SAFE_INTEGER);
    expect(Number.isFinite(parse({ 'X-RateLimit-Reset': '9'.repeat(400) }))).toBe(true);
  });

  it.each([
    ['-5'],
    ['-0.5'],
    ['NaN'],
    ['Infinity'],
    ['1e3'],
    ['0x10'],
    ['+5'],
    ['5 apples'],
    ['2025'.concat(' years')],
    ['1, 2, soon'],
    ['Sat, 01 Mar 2025 12:00:30 GMT garbage'],
    ['2025-03-01T12:00:30Z'],
    ['tomorrow'],
  ])('treats the unreadable Retry-After %j as absent (backoff applies)', (value) => {
    expect(parse({ 'Retry-After': value })).toBeUndefined();
    // …and falls back to the reset header when there is one.
    expect(parse({ 'Retry-After': value, 'X-RateLimit-Reset': '3' })).toBe(3_000);
  });

  it('reads a fractional delay, rounding up to a whole ms', () => {
    expect(parse({ 'Retry-After': '0.0004' })).toBe(1);
    expect(parse({ 'Retry-After': '2.5' })).toBe(2_500);
  });

  it('takes the longest of several values (a repeated header)', () => {
    const repeated = new Headers();
    repeated.append('Retry-After', '5');
    repeated.append('Retry-After', '120');
    expect(parseRetryAfterMs(repeated, NOW)).toBe(120_000);
    expect(parse({ 'Retry-After': 'Sat, 01 Mar 2025 12:00:30 GMT, Sat, 01 Mar 2025 12:01:00 GMT' })).toBe(
      60_000,
    );
  });

  it('skips negative and unreadable reset values', () => {
    expect(parse({ 'X-RateLimit-Reset': '-30' })).toBeUndefined();
    expect(parse({ 'X-RateLimit-Reset': 'NaN, 20' })).toBe(20_000);
  });

  it('reads X-RateLimit-Reset as epoch seconds above 1e9', () => {
    expect(parse({ 'X-RateLimit-Reset': String(NOW / 1000 + 45) })).toBe(45_000);
  });

  it('reads X-RateLimit-Reset as delta seconds up to 1e9', () => {
    expect(parse({ 'X-RateLimit-Reset': '30' })).toBe(30_000);
  });

  it('reads X-RateLimit-Reset above 1e12 as epoch milliseconds (as Exact Online sends it)', () => {
    const now = Date.UTC(2026, 11, 7, 12, 0, 0);
    expect(parseRetryAfterMs(new Headers({ 'X-RateLimit-Reset': String(now + 42_000) }), now)).toBe(42_000);
    expect(parseRetryAfterMs(new Headers({ 'X-RateLimit-Reset': String(now / 1000 + 42) }), now)).toBe(
      42_000,
    );
  });

  it('falls back to the standard RateLimit-Reset, case-insensitively', () => {
    expect(parse({ 'ratelimit-reset': '7' })).toBe(7_000);
    expect(parse({ 'X-RATELIMIT-RESET': '8' })).toBe(8_000);
  });

  it('prefers Retry-After over the reset headers', () => {
    expect(parse({ 'Retry-After': '2', 'X-RateLimit-Reset': '60' })).toBe(2_000);
  });

  it('falls back to the reset headers when Retry-After is unreadable', () => {
    expect(parse({ 'Retry-After': 'soon', 'X-RateLimit-Reset': '60' })).toBe(60_000);
  });

  it('waits for the latest of several reset policies', () => {
    expect(parse({ 'RateLimit-Reset': '10, 3600' })).toBe(3_600_000);
  });

  it('returns undefined when nothing usable is present', () => {
    expect(parse({})).toBeUndefined();
    expect(parse({ 'Retry-After': 'later' })).toBeUndefined();
    expect(parse({ 'X-RateLimit-Reset': 'tomorrow' })).toBeUndefined();
  });

  it('defaults now to the current time', () => {
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    const ms = parseRetryAfterMs(new Headers({ 'Retry-After': inAMinute }));
    expect(ms).toBeGreaterThan(58_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });

  it('reads anything but Headers, or a clock that is not a finite number, as no hint', () => {
    for (const input of [null, undefined, 42, {}, { 'retry-after': '5' }]) {
      expect(parseRetryAfterMs(input as never, NOW)).toBeUndefined();
    }
    expect(parseRetryAfterMs(new Headers({ 'Retry-After': '5' }), Number.NaN)).toBeUndefined();
  });
});
