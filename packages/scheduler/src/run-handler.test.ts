import { err, IntegrationError, ok } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { jobContext } from '../test-support/job-context.ts';
import { describeFailure, MAX_RESULT_LENGTH, runHandler } from './run-handler.ts';
import type { JobContext } from './scheduler.ts';

const context = jobContext({ name: 'sync' });

describe('runHandler', () => {
  it('keeps a returned value, an ApiResult’s data, and null for undefined', async () => {
    expect(await runHandler(() => ({ synced: 3 }), context)).toEqual({ ok: true, result: { synced: 3 } });
    expect(await runHandler(async () => ok([1, 2]), context)).toEqual({ ok: true, result: [1, 2] });
    expect(await runHandler(() => undefined, context)).toEqual({ ok: true, result: null });
  });

  it('keeps no result JSON cannot carry or that is longer than the limit (the run still succeeded)', async () => {
    expect(await runHandler(() => ({ n: 1n }), context)).toEqual({ ok: true, result: null });
    expect(await runHandler(() => 'x'.repeat(MAX_RESULT_LENGTH), context)).toEqual({
      ok: true,
      result: null,
    });
    expect(await runHandler(() => 'x'.repeat(MAX_RESULT_LENGTH - 2), context)).toMatchObject({ ok: true });
  });

  it('reads a failed ApiResult as a failure with its error’s code and retryability', async () => {
    const failed = () => err(new IntegrationError('VALIDATION_ERROR', 'bad row', { retryable: false }));
    expect(await runHandler(failed, context)).toEqual({
      ok: false,
      error: { code: 'VALIDATION_ERROR', message: 'bad row' },
      retryable: false,
    });
  });

  it('reads a throw or rejection as a retryable OPERATION_FAILED with its message', async () => {
    expect(
      await runHandler(() => {
        throw new Error('boom');
      }, context),
    ).toEqual({ ok: false, error: { code: 'OPERATION_FAILED', message: 'boom' }, retryable: true });
    expect(await runHandler(() => Promise.reject('plain'), context)).toMatchObject({
      ok: false,
      error: { message: 'plain' },
    });
  });

  it('survives a result whose getters throw: kept as no result, or a failure when awaiting it throws', async () => {
    const trapping = (trapped: string) =>
      new Proxy(
        {},
        {
          get(_target, key) {
            if (key === trapped) throw new Error('trap');
            return undefined;
          },
        },
      );
    expect(await runHandler(() => trapping('success'), context)).toEqual({ ok: true, result: null });
    expect(await runHandler(() => trapping('then'), context)).toEqual({
      ok: false,
      error: { code: 'OPERATION_FAILED', message: 'trap' },
      retryable: true,
    });
  });

  it('passes the context to the handler', async () => {
    let seen: JobContext<unknown> | undefined;
    await runHandler((job) => {
      seen = job;
    }, context);
    expect(seen).toBe(context);
  });
});

describe('describeFailure', () => {
  it('keeps an IntegrationError’s code and retryable flag', () => {
    expect(describeFailure(new IntegrationError('RATE_LIMIT', 'slow down', { retryable: true }))).toEqual({
      error: { code: 'RATE_LIMIT', message: 'slow down' },
      retryable: true,
    });
  });

  it('clips long messages and gives a generic one to what has none', () => {
    const long = describeFailure(new Error('m'.repeat(5_000)));
    expect(long.error.message).toHaveLength(1_001);
    expect(long.error.message.endsWith('…')).toBe(true);
    expect(describeFailure(undefined)).toEqual({
      error: { code: 'OPERATION_FAILED', message: 'the handler failed' },
      retryable: true,
    });
    expect(describeFailure(new Error('')).error.message).toBe('the handler failed');
  });

  it('survives an error whose message getter throws', () => {
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('trap');
      },
    });
    expect(describeFailure(hostile).error.message).toBe('the handler failed');
  });
});
