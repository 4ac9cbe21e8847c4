import { err, IntegrationError, ok } from '@patchbay/core';
import { hostileValues } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { type EmailMessage, emailDeliverer } from './email-deliverer.ts';
import type { ReportDelivery } from './report-delivery.ts';

const delivery = (text = '{"a":1}\n'): ReportDelivery => ({
  reportId: 'weekly',
  format: 'ndjson',
  contentType: 'application/x-ndjson; charset=utf-8',
  filename: 'weekly-2026-03-31.ndjson',
  body: new Response(text).body as ReadableStream<Uint8Array>,
  now: new Date('2026-03-31T09:00:00Z'),
  range: { from: '2026-03-24T00:00:00.000Z', to: '2026-03-31T00:00:00.000Z' },
  signal: undefined,
});

const fakeTransport = (answer: (message: EmailMessage) => unknown = () => ({ messageId: '<1@x>' })) => {
  const sent: EmailMessage[] = [];
  return {
    sent,
    transport: {
      send: async (message: EmailMessage) => {
        sent.push(message);
        return answer(message);
      },
    },
  };
};

const base = {
  from: 'Reports <reports@example.com>',
  to: 'team@example.com',
  subject: 'Weekly {from} to {to}',
};

describe('emailDeliverer', () => {
  it('sends the export as an attachment', async () => {
    const { sent, transport } = fakeTransport();
    const result = await emailDeliverer({
      ...base,
      transport,
      to: ['a@example.com', ' B <b@example.com> '],
    }).deliver(delivery());
    expect(result).toEqual({ success: true, data: { deliveredTo: 'a@example.com, B <b@example.com>' } });
    expect(sent).toHaveLength(1);
    const [message] = sent;
    expect(message).toMatchObject({
      to: ['a@example.com', 'B <b@example.com>'],
      from: 'Reports <reports@example.com>',
      subject: 'Weekly 2026-03-24 to 2026-03-31',
      text: 'Report weekly from 2026-03-24T00:00:00.000Z to 2026-03-31T00:00:00.000Z: attached as weekly-2026-03-31.ndjson.',
    });
    expect(message?.attachments).toHaveLength(1);
    expect(message?.attachments[0]).toMatchObject({
      filename: 'weekly-2026-03-31.ndjson',
      contentType: 'application/x-ndjson; charset=utf-8',
    });
    expect(new TextDecoder().decode(message?.attachments[0]?.content)).toBe('{"a":1}\n');
  });

  it('fills its own text', async () => {
    const { sent, transport } = fakeTransport();
    await emailDeliverer({ ...base, transport, text: 'Report {id} of {date}' }).deliver(delivery());
    expect(sent[0]?.text).toBe('Report weekly of 2026-03-31');
  });

  it('a transport that throws is OPERATION_FAILED naming transport', async () => {
    const { transport } = fakeTransport(() => {
      throw new Error('550 mailbox unavailable');
    });
    expect(await emailDeliverer({ ...base, transport }).deliver(delivery())).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED', field: 'transport' },
    });
  });

  it("a transport's ApiResult failure is kept", async () => {
    const failure = new IntegrationError('RATE_LIMIT', 'provider throttled', { retryAfterMs: 1000 });
    const { transport } = fakeTransport(() => err(failure));
    expect(await emailDeliverer({ ...base, transport }).deliver(delivery())).toEqual({
      success: false,
      error: failure,
    });
    const { transport: fine } = fakeTransport(() => ok('queued'));
    expect((await emailDeliverer({ ...base, transport: fine }).deliver(delivery())).success).toBe(true);
  });

  it('refuses an export over maxBytes without sending', async () => {
    const { sent, transport } = fakeTransport();
    expect(await emailDeliverer({ ...base, transport, maxBytes: 3 }).deliver(delivery())).toMatchObject({
      success: false,
      error: { field: 'maxBytes' },
    });
    expect(sent).toHaveLength(0);
  });

  it.each([
    [() => ({ subject: 'Weekly\r\nBcc: victim@example.com' }), 'subject'],
    [() => ({ subject: 'Weekly\nX: y' }), 'subject'],
    [() => ({ from: 'a@example.com\r\nBcc: victim@example.com' }), 'from'],
    [() => ({ to: ['a@example.com', 'b@example.com\nBcc: c@example.com'] }), 'to.1'],
    [() => ({ to: 'not an address' }), 'to'],
    [() => ({ to: [] }), 'to'],
    [() => ({ to: Array(51).fill('a@example.com') }), 'to'],
    [() => ({ subject: '' }), 'subject'],
    [() => ({ subject: 'Report {nope}' }), 'subject'],
    [() => ({ text: '{bad}' }), 'text'],
    [() => ({ transport: {} }), 'transport'],
    [() => ({ transport: undefined }), 'transport'],
  ])('refuses options %# with CONFIG_ERROR naming %s', (change, field) => {
    const { transport } = fakeTransport();
    expect(() => emailDeliverer({ ...base, transport, ...change() } as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field }),
    );
  });

  it.each(hostileValues())('refuses options that are %s with CONFIG_ERROR', (_, options) => {
    expect(() => emailDeliverer(options as never)).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });
});
