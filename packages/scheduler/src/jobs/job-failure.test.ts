import { IntegrationError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { permanentFailure, retryableFailure } from './job-failure.ts';

const errorOf = (result: { success: boolean; error?: IntegrationError }) => {
  expect(result.success).toBe(false);
  return result.error as IntegrationError;
};

describe('retryableFailure', () => {
  it("keeps an IntegrationError cause's code and message, and is retryable", () => {
    const cause = new IntegrationError('RATE_LIMIT', 'slow down', { retryable: true });
    const error = errorOf(retryableFailure('Pull failed', cause));
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({ code: 'RATE_LIMIT', message: 'Pull failed: slow down', retryable: true });
    expect(error.cause).toBe(cause);
  });

  it('is OPERATION_FAILED for a plain Error (with its message) or any other cause (without)', () => {
    expect(errorOf(retryableFailure('Push failed', new Error('socket hang up')))).toMatchObject({
      code: 'OPERATION_FAILED',
      message: 'Push failed: socket hang up',
      retryable: true,
    });
    expect(errorOf(retryableFailure('Push failed', 'text'))).toMatchObject({
      code: 'OPERATION_FAILED',
      message: 'Push failed',
    });
    expect(errorOf(retryableFailure('Push failed')).message).toBe('Push failed');
  });
});

describe('permanentFailure', () => {
  it('is not retryable and keeps the code given', () => {
    expect(errorOf(permanentFailure('CONFIG_ERROR', 'no such tenant'))).toMatchObject({
      code: 'CONFIG_ERROR',
      message: 'no such tenant',
      retryable: false,
    });
    expect(errorOf(permanentFailure('VALIDATION_ERROR', 'bad')).code).toBe('VALIDATION_ERROR');
  });
});
