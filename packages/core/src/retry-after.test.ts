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
    expect(parse({ 'Retry-After': '-5' })).toBe(0);
    expect(parse({ 'X-RateLimit-Reset': String(NOW / 1000 - 60) })).toBe(0);
  });

  it('reads X-RateLimit-Reset as epoch seconds above 1e9', () => {
    expect(parse({ 'X-RateLimit-Reset': String(NOW / 1000 + 45) })).toBe(45_000);
  });

  it('reads X-RateLimit-Reset as delta seconds up to 1e9', () => {
    expect(parse({ 'X-RateLimit-Reset': '30' })).toBe(30_000);
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
});
