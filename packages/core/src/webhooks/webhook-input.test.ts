import { describe, expect, it } from 'vitest';
import {
  readWebhookBody,
  readWebhookClock,
  readWebhookHeader,
  readWebhookTolerance,
} from './webhook-input.ts';

const codeOf = (result: { success: boolean; error?: { code: string; field?: string } }) =>
  result.success ? undefined : { code: result.error?.code, field: result.error?.field };

describe('readWebhookHeader', () => {
  it.each([
    ['Fetch Headers', new Headers({ 'Webhook-Id': 'msg_1' }), 'msg_1'],
    ['a record, any case', { 'WEBHOOK-ID': 'msg_1' }, 'msg_1'],
    ['a one-element array', { 'webhook-id': ['msg_1'] }, 'msg_1'],
    ['several values, joined as Headers.get joins them', { 'webhook-id': ['a', 'b'] }, 'a, b'],
    ['differently cased keys, joined', { 'Webhook-Id': 'a', 'webhook-id': 'b' }, 'a, b'],
    ['a null value (absent)', { 'webhook-id': null }, undefined],
    ['an undefined value (absent)', { 'webhook-id': undefined }, undefined],
    ['an empty array (absent)', { 'webhook-id': [] }, undefined],
    ['no such header', { other: 'x' }, undefined],
    ['a prototype-less record', Object.assign(Object.create(null) as object, { 'webhook-id': 'm' }), 'm'],
    [
      'a Headers-like object from another realm',
      { get: (name: string) => (name === 'webhook-id' ? 'm' : null) },
      'm',
    ],
  ])('reads %s', (_label, headers, expected) => {
    expect(readWebhookHeader(headers, 'Webhook-Id')).toEqual({ success: true, data: expected });
  });

  it.each([
    ['null', null, 'headers'],
    ['undefined', undefined, 'headers'],
    ['a number', 1, 'headers'],
    ['a string', 'webhook-id: x', 'headers'],
    ['a number value', { 'webhook-id': 5 }, 'webhook-id'],
    ['an object value', { 'webhook-id': {} }, 'webhook-id'],
    ['an array holding a non-string', { 'webhook-id': ['a', null] }, 'webhook-id'],
    ['a get() that answers a number', { get: () => 5 }, 'webhook-id'],
    [
      'a get() that throws',
      {
        get: () => {
          throw new Error('x');
        },
      },
      'headers',
    ],
    [
      'a Proxy whose traps throw',
      new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('x');
          },
        },
      ),
      'headers',
    ],
  ])('refuses %s with VALIDATION_ERROR', (_label, headers, field) => {
    expect(codeOf(readWebhookHeader(headers, 'webhook-id'))).toEqual({ code: 'VALIDATION_ERROR', field });
  });
});

describe('readWebhookBody', () => {
  const text = '{"a":"é"}';
  const bytes = new TextEncoder().encode(text);

  it('takes text, bytes, a view into a larger buffer, and an ArrayBuffer', () => {
    for (const body of [text, bytes, new Uint8Array(bytes), bytes.buffer, new DataView(bytes.buffer)]) {
      const read = readWebhookBody(body);
      expect(read.success && read.data.text).toBe(text);
      expect(read.success && [...read.data.bytes]).toEqual([...bytes]);
    }
    const padded = new TextEncoder().encode(`__${text}__`);
    const view = readWebhookBody(padded.subarray(2, padded.length - 2));
    expect(view.success && view.data.text).toBe(text);
  });

  it('copies bytes, so a later change to the caller’s buffer changes nothing', () => {
    const mine = new TextEncoder().encode('abc');
    const read = readWebhookBody(mine);
    mine[0] = 0x7a;
    expect(read.success && read.data.text).toBe('abc');
  });

  it.each([null, undefined, 42, { a: 1 }, ['a'], true])(
    'refuses %j with VALIDATION_ERROR on body',
    (body) => {
      expect(codeOf(readWebhookBody(body))).toEqual({ code: 'VALIDATION_ERROR', field: 'body' });
    },
  );
});

describe('readWebhookClock', () => {
  it('defaults to Date.now and takes a function returning finite milliseconds', () => {
    const read = readWebhookClock(undefined);
    expect(read.success && Math.abs(read.data - Date.now()) < 1_000).toBe(true);
    expect(readWebhookClock(() => 1_700_000_000_000)).toEqual({ success: true, data: 1_700_000_000_000 });
  });

  it.each([
    ['NaN', () => Number.NaN],
    ['Infinity', () => Number.POSITIVE_INFINITY],
    ['a string', () => '1700000000000'],
    ['undefined', () => undefined],
    [
      'a throw',
      () => {
        throw new Error('clock broke');
      },
    ],
  ])('refuses a clock answering %s with CONFIG_ERROR on now', (_label, now) => {
    expect(codeOf(readWebhookClock(now))).toEqual({ code: 'CONFIG_ERROR', field: 'now' });
  });

  it('refuses a clock that is not a function', () => {
    expect(codeOf(readWebhookClock(1_700_000_000_000))).toEqual({ code: 'CONFIG_ERROR', field: 'now' });
  });
});

describe('readWebhookTolerance', () => {
  it('defaults, and takes zero or any finite positive number', () => {
    expect(readWebhookTolerance(undefined, 300, 'toleranceSeconds')).toEqual({ success: true, data: 300 });
    expect(readWebhookTolerance(0, 300, 'toleranceSeconds')).toEqual({ success: true, data: 0 });
    expect(readWebhookTolerance(7.5, 300, 'toleranceSeconds')).toEqual({ success: true, data: 7.5 });
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, -1, '300', null])(
    'refuses %s with CONFIG_ERROR',
    (value) => {
      expect(codeOf(readWebhookTolerance(value, 300, 'toleranceMs'))).toEqual({
        code: 'CONFIG_ERROR',
        field: 'toleranceMs',
      });
    },
  );
});
