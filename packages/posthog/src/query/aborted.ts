import { IntegrationError } from '@patchbay/core';

/**
 * The error of a call the caller cancelled through its signal (`ABORTED`, not retryable), as core's own calls
 * answer it.
 */
export const abortedError = (message = 'The operation was aborted by the caller'): IntegrationError =>
  new IntegrationError('ABORTED', message, { retryable: false });
