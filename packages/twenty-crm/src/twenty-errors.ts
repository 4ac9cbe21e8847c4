import { type IntegrationError, reviseError } from '@patchbay/core';

// Twenty reports a unique-constraint violation as a 400 ("A duplicate entry was detected…",
// "Duplicate Email. Please set a unique one.", "Record already exists"); callers need to tell it apart
// from bad input, so it becomes CONFLICT; so does an upsert matching two different records on its unique
// fields ("Multiple records found with the same unique field values…"). A 402 is an exhausted workspace
// quota, not bad input.
const DUPLICATE = /duplicate|already exists|multiple records found with the same unique/i;

/** Maps Twenty's own error conventions onto the core codes. */
export function refineTwentyError(error: IntegrationError): IntegrationError {
  if (error.status === 400 && DUPLICATE.test(error.message)) return reviseError(error, { code: 'CONFLICT' });
  if (error.status === 402) return reviseError(error, { code: 'RATE_LIMIT', retryable: false });
  return error;
}
