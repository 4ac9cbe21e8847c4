// The two assertions every contract suite makes on an ApiResult, kept in one place so each suite reads as its rules.
import { expect } from 'vitest';
import type { ErrorCode } from '../result/errors.ts';
import type { ApiResult } from '../result/result.ts';

/** The data of a successful result; fails the test with the error's code and message otherwise. */
export function expectOk<T>(result: ApiResult<T> | undefined): T {
  if (!result?.success) {
    expect.unreachable(`expected success, got ${result?.error.code}: ${result?.error.message}`);
  }
  return result.data;
}

/** Asserts a failed result carrying an IntegrationError of `code` whose `field`, when given, matches (a string: equals). */
export function expectErr(result: unknown, code: ErrorCode, field?: RegExp | string): void {
  const failed = result as ApiResult<unknown> | undefined;
  if (!failed || failed.success) {
    expect.unreachable(`expected ${code}, got success`);
    return;
  }
  expect(failed.error.name).toBe('IntegrationError');
  expect(failed.error.code).toBe(code);
  if (typeof field === 'string') expect(failed.error.field).toBe(field);
  else if (field) expect(failed.error.field).toMatch(field);
}
