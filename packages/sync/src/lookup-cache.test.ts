import { describe, expect, it } from 'vitest';
import { createLookupCache } from './lookup-cache.ts';

describe('createLookupCache', () => {
  it('returns entries until their TTL passes', () => {
    let t = 0;
    const cache = createLookupCache({ ttlMs: 100, maxEntries: 10, now: () => t });
    cache.set('person:a', { remoteId: 'r1', contentHash: 'h' });
    t = 99;
    expect(cache.get('person:a')).toMatchObject({ remoteId: 'r1', contentHash: 'h' });
    t = 100;
    expect(cache.get('person:a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the oldest entries beyond maxEntries, and can be disabled with ttl 0', () => {
    const cache = createLookupCache({ ttlMs: 1_000, maxEntries: 2 });
    cache.set('a', { remoteId: '1', contentHash: null });
    cache.set('b', { remoteId: '2', contentHash: null });
    cache.set('a', { remoteId: '1', contentHash: 'x' });
    cache.set('c', { remoteId: '3', contentHash: null });
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.contentHash).toBe('x');
    expect(cache.size).toBe(2);
    const off = createLookupCache({ ttlMs: 0, maxEntries: 10 });
    off.set('a', { remoteId: '1', contentHash: null });
    expect(off.get('a')).toBeUndefined();
  });
});
