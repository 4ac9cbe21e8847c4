import { IntegrationError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { refineTwentyError } from './twenty-errors.ts';

const bad = (message: string, status = 400) =>
  new IntegrationError('VALIDATION_ERROR', message, { status, attempts: 1 });

describe('refineTwentyError', () => {
  it.each([
    'POST /rest/people failed with 400: A duplicate entry was detected',
    'POST /rest/people failed with 400: Duplicate Emails. Please set a unique one.',
    'POST /rest/batch/people failed with 400: Record already exists',
    'POST /rest/batch/people failed with 400: Multiple records found with the same unique field values for id (id: 1); emails (emails.primaryEmail: b@x.io). Cannot determine which record to update.',
  ])('turns a unique violation into CONFLICT: %s', (message) => {
    expect(refineTwentyError(bad(message))).toMatchObject({
      code: 'CONFLICT',
      status: 400,
      retryable: false,
      attempts: 1,
    });
  });

  it('turns an exhausted quota (402) into a non-retryable RATE_LIMIT', () => {
    expect(refineTwentyError(bad('quota', 402))).toMatchObject({ code: 'RATE_LIMIT', retryable: false });
  });

  it('leaves other errors alone', () => {
    const error = bad("object 'person' not found. Did you mean 'people'?");
    expect(refineTwentyError(error)).toBe(error);
  });
});
