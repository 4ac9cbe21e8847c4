import { err, IntegrationError, ok } from '@patchbay/core';
import { thrownBy } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { type EmailAlertOptions, type EmailMessage, emailAlertDeliverer } from './email-alert-deliverer.ts';
import type { FailureAlert } from './failure-alerts.ts';

const alert: FailureAlert = {
  integration: 'hubspot',
  failures: 12,
  threshold: 10,
  windowMs: 3_600_000,
  at: 0,
  jobName: null,
  lastError: null,
};

describe('emailAlertDeliverer', () => {
  it('sends one plain-text message with a one-line subject to every address', async () => {
    const sent: EmailMessage[] = [];
    const deliver = emailAlertDeliverer({
      transport: { send: (message) => void sent.push(message) },
      from: 'ops@app.test',
      to: ['a@app.test', 'b@app.test'],
    });
    expect(await deliver({ ...alert, integration: 'hub\r\nBcc: x@evil.test' })).toEqual({
      success: true,
      data: undefined,
    });
    expect(sent).toEqual([
      {
        from: 'ops@app.test',
        to: ['a@app.test', 'b@app.test'],
        subject: '[patchbay] hub Bcc: x@evil.test: 12 failures',
        text: expect.stringContaining('\n\nAt 1970-01-01T00:00:00.000Z.'),
      },
    ]);
  });

  it('takes one address and a subject prefix', async () => {
    const sent: EmailMessage[] = [];
    const deliver = emailAlertDeliverer({
      transport: { send: async (message) => ok(sent.push(message)) },
      from: 'ops@app.test',
      to: 'oncall@app.test',
      subjectPrefix: '[prod]',
    });
    expect((await deliver(alert)).success).toBe(true);
    expect(sent[0]).toMatchObject({ to: ['oncall@app.test'], subject: '[prod] hubspot: 12 failures' });
  });

  it('answers a failed result for a throw, a rejection or a failed result of the transport', async () => {
    const options = { from: 'ops@app.test', to: 'oncall@app.test' };
    const thrown = await emailAlertDeliverer({
      ...options,
      transport: {
        send() {
          throw new Error('SMTP 421');
        },
      },
    })(alert);
    expect(!thrown.success && thrown.error).toMatchObject({ code: 'OPERATION_FAILED', retryable: true });
    const rejected = await emailAlertDeliverer({ ...options, transport: { send: () => Promise.reject(1) } })(
      alert,
    );
    expect(rejected.success).toBe(false);
    const typed = new IntegrationError('AUTH_ERROR', 'bad key', { retryable: false });
    const refused = await emailAlertDeliverer({ ...options, transport: { send: async () => err(typed) } })(
      alert,
    );
    expect(!refused.success && refused.error).toBe(typed);
    const untyped = await emailAlertDeliverer({
      ...options,
      transport: { send: () => ({ success: false }) },
    })(alert);
    expect(!untyped.success && untyped.error).toMatchObject({
      code: 'OPERATION_FAILED',
      message: 'The email transport refused the alert',
    });
  });

  it('throws a CONFIG_ERROR naming transport, from or to', () => {
    const send = () => undefined;
    const fieldOf = (options: unknown) => {
      const thrown = thrownBy(() => emailAlertDeliverer(options as EmailAlertOptions)) as
        | { code?: string; field?: string }
        | undefined;
      expect(thrown?.code).toBe('CONFIG_ERROR');
      return thrown?.field;
    };
    expect(fieldOf({ transport: {}, from: 'a@x', to: 'b@x' })).toBe('transport');
    expect(fieldOf(undefined)).toBe('transport');
    expect(fieldOf({ transport: { send }, from: '', to: 'b@x' })).toBe('from');
    expect(fieldOf({ transport: { send }, from: 'a@x', to: [] })).toBe('to');
    expect(fieldOf({ transport: { send }, from: 'a@x', to: ['b@x', ''] })).toBe('to');
  });
});
