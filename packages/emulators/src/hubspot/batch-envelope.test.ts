import { describe, expect, it } from 'vitest';
import { batchResponse, itemError, itemErrorOf } from './batch-envelope.ts';
import { conflict } from './errors.ts';

describe('batchResponse', () => {
  it('answers the ok status without errors, 207 with numErrors and errors otherwise', async () => {
    const ok = batchResponse({ okStatus: 201, results: [{ id: '1' }], startedAt: 0, completedAt: 5 });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({
      status: 'COMPLETE',
      results: [{ id: '1' }],
      startedAt: '1970-01-01T00:00:00.000Z',
      completedAt: '1970-01-01T00:00:00.005Z',
    });
    const partial = batchResponse({
      okStatus: 200,
      results: [],
      errors: [
        itemError('OBJECT_NOT_FOUND', 'gone', { ids: ['1'] }),
        itemErrorOf(conflict('taken'), { ids: ['2'] }),
      ],
      startedAt: 0,
      completedAt: 0,
    });
    expect(partial.status).toBe(207);
    expect(await partial.json()).toMatchObject({
      numErrors: 2,
      errors: [
        {
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message: 'gone',
          context: { ids: ['1'] },
          errors: [],
          links: {},
        },
        { status: 'error', category: 'CONFLICT', message: 'taken', context: { ids: ['2'] } },
      ],
    });
  });
});
