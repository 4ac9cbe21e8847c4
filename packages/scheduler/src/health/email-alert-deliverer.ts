// Delivers a failure alert by email through a transport the app provides (nodemailer, an SES or Postmark
// client, anything with `send`): the package ships no mail library, only the message.
import { type ApiResult, IntegrationError, isIntegrationError, ok } from '@patchbay/core';
import type { AlertDeliverer, FailureAlert } from './failure-alerts.ts';
import { alertText } from './webhook-alert-deliverer.ts';

/** A plain-text email. */
export interface EmailMessage {
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
}

/** What sends an email: the app's mailer behind one method. A throw, a rejection or a failed result is a failure. */
export interface EmailTransport {
  send(message: EmailMessage): unknown;
}

/** Options of {@link emailAlertDeliverer}. */
export interface EmailAlertOptions {
  transport: EmailTransport;
  from: string;
  to: string | readonly string[];
  /** Put before the subject. Default `[patchbay]`. */
  subjectPrefix?: string;
}

/**
 * An alert deliverer that emails the alert through `transport`.
 * @example emailAlertDeliverer({ transport: { send: (m) => mailer.sendMail(m) }, from: 'ops@app.test', to: 'oncall@app.test' });
 * @throws IntegrationError `CONFIG_ERROR` naming `transport`, `from` or `to`.
 */
export function emailAlertDeliverer(options: EmailAlertOptions): AlertDeliverer {
  const fail = (field: string, message: string) =>
    new IntegrationError('CONFIG_ERROR', `Invalid option: ${field}: ${message}`, { field, retryable: false });
  if (typeof options?.transport?.send !== 'function')
    throw fail('transport', 'must have a send(message) method');
  if (typeof options.from !== 'string' || options.from === '') throw fail('from', 'must be an address');
  const to = typeof options.to === 'string' ? [options.to] : [...(options.to ?? [])];
  if (to.length === 0 || to.some((address) => typeof address !== 'string' || address === ''))
    throw fail('to', 'must be an address or a non-empty list of them');
  const prefix = options.subjectPrefix ?? '[patchbay]';
  const { transport, from } = options;
  return async (alert: FailureAlert): Promise<ApiResult<void>> => {
    const message: EmailMessage = {
      from,
      to,
      // A subject is one line: a newline in an integration name must not start a header.
      subject: `${prefix} ${alert.integration}: ${alert.failures} failures`.replace(/[\r\n]+/g, ' '),
      text: `${alertText(alert)}\n\nAt ${new Date(alert.at).toISOString()}.`,
    };
    try {
      const sent = await transport.send(message);
      if (typeof sent === 'object' && sent !== null && (sent as { success?: unknown }).success === false) {
        const error = (sent as { error?: unknown }).error;
        return {
          success: false,
          error: isIntegrationError(error)
            ? error
            : new IntegrationError('OPERATION_FAILED', 'The email transport refused the alert'),
        };
      }
      return ok(undefined);
    } catch (thrown) {
      return {
        success: false,
        error: new IntegrationError('OPERATION_FAILED', 'The email transport failed', {
          cause: thrown,
          retryable: true,
        }),
      };
    }
  };
}
