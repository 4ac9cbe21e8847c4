// One assertion for the table-driven "refuses %s" tests of public APIs: the answer is a typed failure naming
// the field, and nothing the caller must keep to itself shows in the error.
import { expect } from 'vitest';
import { type ErrorCode, IntegrationError } from '../result/errors.ts';
import type { ApiResult } from '../result/result.ts';

/** What {@link expectRefusal} expects of a refusal. */
export interface ExpectedRefusal {
  /** The error's code. */
  code: ErrorCode;
  /** The field the error names; not checked when empty or left out. */
  field?: string | undefined;
  /** Text (a secret, a signature) that must not appear in the error's message, JSON or stack. */
  hidden?: readonly string[];
}

/**
 * Asserts that `result` is a failure carrying an `IntegrationError` with `expected.code` (and `expected.field`),
 * whose message, JSON and stack contain none of `expected.hidden`.
 * @example expectRefusal(await verify(input), { code: 'AUTH_ERROR', field: 'signature', hidden: [secret] });
 */
export function expectRefusal(result: ApiResult<unknown>, expected: ExpectedRefusal): void {
  expect(result.success).toBe(false);
  if (result.success) return;
  expect(result.error).toBeInstanceOf(IntegrationError);
  const { code, field } = expected;
  expect(result.error).toMatchObject({ code, ...(field ? { field } : {}) });
  const text = `${result.error.message} ${JSON.stringify(result.error)} ${String(result.error.stack)}`;
  for (const hidden of expected.hidden ?? []) expect(text).not.toContain(hidden);
}
