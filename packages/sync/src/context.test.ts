import { describe, expect, it } from 'vitest';
import { INTEGRATION, testContext } from '../test-support/fixtures.ts';
import { cacheOf, recordKey, scopeOf } from './context.ts';

describe('context helpers', () => {
  it('scopes mappings by integration and type', () => {
    const { context } = testContext();
    expect(scopeOf(context, 'person')).toEqual({ integration: INTEGRATION, objectType: 'person' });
  });

  it('keeps one lookup cache per type, so one type cannot push out another', () => {
    const { context } = testContext({ cache: { maxEntries: 1 } });
    cacheOf(context, 'company').set('a', { remoteId: 'r1', contentHash: null });
    cacheOf(context, 'person').set('a', { remoteId: 'r2', contentHash: null });
    cacheOf(context, 'person').set('b', { remoteId: 'r3', contentHash: null });
    expect(cacheOf(context, 'company').get('a')?.remoteId).toBe('r1');
    expect(cacheOf(context, 'person').get('a')).toBeUndefined();
  });

  it('names a record unambiguously, whatever its type and id hold', () => {
    expect(recordKey('a:b', 'c')).not.toBe(recordKey('a', 'b:c'));
    expect(recordKey('company', 'x')).toBe(recordKey('company', 'x'));
  });
});
