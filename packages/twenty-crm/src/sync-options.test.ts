import type { IntegrationError } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import { createTwentySync, type TwentySyncOptions } from './sync.ts';

const API_KEY = 'twenty-secret-key-0123456789';
const valid: TwentySyncOptions = {
  baseUrl: 'http://127.0.0.1:1',
  apiKey: API_KEY,
  store: createMemoryStore(),
  rateLimit: false,
};

/** The error createTwentySync throws for these options (they are spread over valid ones). */
function thrownBy(options: Record<string, unknown>): IntegrationError {
  try {
    createTwentySync({ ...valid, ...options } as TwentySyncOptions);
  } catch (error) {
    return error as IntegrationError;
  }
  throw new Error('createTwentySync accepted the options');
}

describe('createTwentySync options', () => {
  it.each([
    ['store', { store: {} }],
    ['store', { store: undefined }],
    ['cacheTtlMs', { cacheTtlMs: -1 }],
    ['cacheTtlMs', { cacheTtlMs: '300000' }],
    ['cacheMaxEntries', { cacheMaxEntries: 1.5 }],
    ['batchSize', { batchSize: 0 }],
    ['batchSize', { batchSize: 201 }],
    ['concurrency', { concurrency: 0 }],
    ['concurrency', { concurrency: Number.NaN }],
    ['onProgress', { onProgress: 'log' }],
    ['mode', { mode: 'sometimes' }],
    ['lease.ttlMs', { lease: { ttlMs: 500 } }],
    ['lease.owner', { lease: { owner: '  ' } }],
  ])('rejects a bad %s with a CONFIG_ERROR naming it', (field, options) => {
    const error = thrownBy(options);
    expect(error).toMatchObject({ code: 'CONFIG_ERROR', field, retryable: false });
    expect(error.message).toContain(field);
  });

  it('checks its own options even when Twenty is never called (disabled, or a client passed in)', () => {
    expect(thrownBy({ mode: 'disabled', baseUrl: undefined, apiKey: undefined, batchSize: 0 })).toMatchObject(
      {
        code: 'CONFIG_ERROR',
        field: 'batchSize',
      },
    );
    const client = createTwentySync(valid).client;
    expect(thrownBy({ client, concurrency: -2 })).toMatchObject({ field: 'concurrency' });
  });

  it('lists every bad field, and never the API key', () => {
    const error = thrownBy({ cacheTtlMs: -5, concurrency: 99 });
    expect(error.issues).toEqual([
      expect.objectContaining({ field: 'cacheTtlMs' }),
      expect.objectContaining({ field: 'concurrency' }),
    ]);
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(API_KEY);
  });

  it('accepts the documented values, edges included', () => {
    for (const options of [
      {},
      { cacheTtlMs: 0, cacheMaxEntries: 0 },
      { batchSize: 1, concurrency: 32 },
      { mode: 'disabled' as const },
      { lease: false as const },
      { lease: { ttlMs: 3_000, waitMs: 0, owner: 'worker-1' } },
      { onProgress: () => {} },
    ]) {
      expect(() => createTwentySync({ ...valid, ...options })).not.toThrow();
    }
  });

  it('leaves the client options to the client, which names its own fields', () => {
    expect(thrownBy({ baseUrl: 'ftp://example.com' })).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'baseUrl',
    });
  });
});
