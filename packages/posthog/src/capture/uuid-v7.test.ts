import { describe, expect, it, vi } from 'vitest';
import { UUID_PATTERN, uuidV7 } from './uuid-v7.ts';

describe('uuidV7', () => {
  it('is a canonical version 7, variant 10 UUID carrying the time', async () => {
    // A fresh module: its ids count on from the latest one made in this process, which may be later than `now`.
    vi.resetModules();
    const fresh = await import('./uuid-v7.ts');
    const now = Date.UTC(2026, 11, 7, 12, 0, 0, 123);
    const id = fresh.uuidV7(now);
    expect(id).toMatch(UUID_PATTERN);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('sorts in creation order, within one millisecond too', () => {
    const now = Date.UTC(2027, 0, 1);
    const ids = Array.from({ length: 5_000 }, () => uuidV7(now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stays ordered when the clock steps back', () => {
    const first = uuidV7(Date.UTC(2027, 5, 1));
    const second = uuidV7(Date.UTC(2027, 4, 1));
    expect(second > first).toBe(true);
  });
});
