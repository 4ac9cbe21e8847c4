import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { err, ok } from '../result/result.ts';
import { expectRefusal } from './refusals.ts';

describe('expectRefusal', () => {
  const refusal = err(
    new IntegrationError('VALIDATION_ERROR', 'headers must be an object', { field: 'headers' }),
  );

  it('passes for a failure with the code and field, showing nothing hidden', () => {
    expectRefusal(refusal, { code: 'VALIDATION_ERROR', field: 'headers', hidden: ['whsec_secret'] });
    expectRefusal(refusal, { code: 'VALIDATION_ERROR' });
  });

  it.each([
    ['a success', ok(1), { code: 'VALIDATION_ERROR' as const }],
    ['another code', refusal, { code: 'AUTH_ERROR' as const }],
    ['another field', refusal, { code: 'VALIDATION_ERROR' as const, field: 'body' }],
    ['a hidden text in the message', refusal, { code: 'VALIDATION_ERROR' as const, hidden: ['be an obj'] }],
    [
      'an error that is not an IntegrationError',
      err(new Error('x') as never),
      { code: 'VALIDATION_ERROR' as const },
    ],
  ])('fails the test for %s', (_label, result, expected) => {
    expect(() => expectRefusal(result, expected)).toThrow();
  });
});
