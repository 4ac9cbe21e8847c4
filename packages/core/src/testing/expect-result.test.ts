import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { err, ok } from '../result/result.ts';
import { expectErr, expectOk } from './expect-result.ts';

describe('expectOk / expectErr', () => {
  it('expectOk returns the data of a success and fails the test on a failure, quoting its code', () => {
    expect(expectOk(ok(3))).toBe(3);
    expect(() => expectOk(err(new IntegrationError('NOT_FOUND', 'gone')))).toThrow(/NOT_FOUND: gone/);
  });

  it('expectErr checks the code and the field, by pattern or exactly', () => {
    const failed = err(new IntegrationError('VALIDATION_ERROR', 'bad', { field: 'policy.threshold' }));
    expectErr(failed, 'VALIDATION_ERROR', /^policy/);
    expectErr(failed, 'VALIDATION_ERROR', 'policy.threshold');
    expect(() => expectErr(failed, 'VALIDATION_ERROR', 'policy')).toThrow();
    expect(() => expectErr(failed, 'NOT_FOUND', /policy/)).toThrow();
    expect(() => expectErr(ok(1), 'VALIDATION_ERROR', /x/)).toThrow(/got success/);
  });
});
