import { err, IntegrationError, ok } from '@patchbay/core';
import { hostileValues } from '@patchbay/core/testing';
import { expect, it } from 'vitest';
import { runPageQuery } from './query-source.ts';

const signal = new AbortController().signal;
const node = { kind: 'HogQLQuery', query: 'select 1' };

it('reads results, columns and hasMore, passing the signal', async () => {
  let seen: AbortSignal | undefined;
  const page = await runPageQuery(
    {
      query: async (_node, options) => {
        seen = options?.signal;
        return ok({ results: [[1]], columns: ['one'], hasMore: null, timings: [] });
      },
    },
    node,
    signal,
  );
  expect(page).toEqual({ success: true, data: { results: [[1]], columns: ['one'], hasMore: undefined } });
  expect(seen).toBe(signal);
});

it("keeps the client's typed error, and turns throws into OPERATION_FAILED", async () => {
  const failure = new IntegrationError('VALIDATION_ERROR', 'Unknown table');
  expect(await runPageQuery({ query: async () => err(failure) }, node, signal)).toEqual({
    success: false,
    error: failure,
  });
  for (const query of [
    async () => {
      throw new Error('boom');
    },
    () => {
      throw new Error('sync boom');
    },
    async () => ({ success: false, error: 'not an error' }),
  ]) {
    expect(await runPageQuery({ query } as never, node, signal)).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED' },
    });
  }
});

it.each(hostileValues())('an answer that is %s is a typed failure', async (_, answer) => {
  const page = await runPageQuery({ query: async () => answer as never }, node, signal);
  expect(page.success).toBe(false);
  if (!page.success) expect(page.error).toBeInstanceOf(IntegrationError);
});

it('an answer without results is INVALID_RESPONSE', async () => {
  expect(await runPageQuery({ query: async () => ok({ columns: [] }) }, node, signal)).toMatchObject({
    success: false,
    error: { code: 'INVALID_RESPONSE', field: 'results' },
  });
  expect(
    await runPageQuery({ query: async () => ok({ results: [], columns: 'x' }) }, node, signal),
  ).toMatchObject({
    success: false,
    error: { code: 'INVALID_RESPONSE', field: 'columns' },
  });
});
