import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type CapturedEvent, decodeCaptureBody, parseCapture } from './capture.ts';

const limits = { maxBodyBytes: 20 * 1024 * 1024, maxEventBytes: 1024 * 1024 };
let next = 0;
const newUuid = () => `generated-${++next}`;
const parse = (body: unknown, path = '/batch/') => parseCapture(JSON.stringify(body), path, limits, newUuid);
const plain = { contentEncoding: null, compression: null };

describe('decodeCaptureBody', () => {
  it('reads plain bodies and gunzips by header or by the gzip-js query', () => {
    const bytes = new TextEncoder().encode('{"a":1}');
    expect(decodeCaptureBody(bytes, plain, 100)).toBe('{"a":1}');
    const zipped = new Uint8Array(gzipSync(bytes));
    expect(decodeCaptureBody(zipped, { contentEncoding: 'gzip', compression: null }, 100)).toBe('{"a":1}');
    expect(decodeCaptureBody(zipped, { contentEncoding: null, compression: 'gzip-js' }, 100)).toBe('{"a":1}');
  });

  it('refuses bad gzip with 400 and oversized bodies (raw or decompressed) with 413', () => {
    const junk = new TextEncoder().encode('not gzip');
    expect(decodeCaptureBody(junk, { contentEncoding: 'gzip', compression: null }, 100)).toMatchObject({
      status: 400,
    });
    expect(decodeCaptureBody(new Uint8Array(101), plain, 100)).toMatchObject({ status: 413 });
    const bomb = new Uint8Array(gzipSync(new Uint8Array(10_000)));
    expect(decodeCaptureBody(bomb, { contentEncoding: 'gzip', compression: null }, 1_000)).toMatchObject({
      status: 413,
    });
  });
});

describe('parseCapture', () => {
  it('reads a batch with its api_key, keeping uuids, properties, timestamps and $set', () => {
    const events = parse({
      api_key: 'phc_k',
      batch: [
        { event: 'a', distinct_id: 'u1', uuid: 'id-1', timestamp: '2026-01-01T00:00:00Z', $set: { x: 1 } },
        { event: 'b', properties: { distinct_id: 42, plan: 'pro' } },
      ],
    }) as CapturedEvent[];
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      uuid: 'id-1',
      token: 'phc_k',
      timestamp: '2026-01-01T00:00:00Z',
      properties: { $set: { x: 1 } },
    });
    expect(events[1]).toMatchObject({ distinct_id: '42', token: 'phc_k', properties: { plan: 'pro' } });
    expect(events[1]?.uuid).toMatch(/^generated-/);
  });

  it('reads a single event with its token in properties, and an array of events', () => {
    expect(parse({ event: 'e', distinct_id: 'u', properties: { token: 'phc_k' } }, '/e/')).toMatchObject([
      { event: 'e', token: 'phc_k', path: '/e/' },
    ]);
    expect(parse([{ event: 'e', distinct_id: 'u', api_key: 'phc_k' }], '/e/')).toHaveLength(1);
  });

  it.each([
    ['malformed JSON', undefined],
    ['an empty batch', { api_key: 'k', batch: [] }],
    [
      'an event without a name',
      { api_key: 'k', batch: [{ event: 'ok', distinct_id: 'u' }, { distinct_id: 'u' }] },
    ],
    [
      'an event without a distinct id',
      { api_key: 'k', batch: [{ event: 'ok', distinct_id: 'u' }, { event: 'x' }] },
    ],
    ['a blank distinct id', { api_key: 'k', batch: [{ event: 'x', distinct_id: '  ' }] }],
    ['a batch item that is not an object', { api_key: 'k', batch: [1] }],
    ['a body that is not an object', 'text'],
  ])('refuses the whole request with 400 for %s', (_, body) => {
    const result =
      body === undefined ? parseCapture('{nope', '/batch/', limits, newUuid) : parse(body as unknown);
    expect(result).toMatchObject({ status: 400 });
  });

  it('answers 401 without a token or with two different tokens', () => {
    expect(parse({ batch: [{ event: 'x', distinct_id: 'u' }] })).toMatchObject({ status: 401 });
    expect(
      parse({ api_key: 'a', batch: [{ event: 'x', distinct_id: 'u', properties: { token: 'b' } }] }),
    ).toMatchObject({ status: 401, message: expect.stringMatching(/multiple/i) });
  });

  it('answers 413 for an event over the event limit', () => {
    const big = { event: 'x', distinct_id: 'u', properties: { blob: 'a'.repeat(2_000) } };
    expect(
      parseCapture(
        JSON.stringify({ api_key: 'k', batch: [big] }),
        '/batch/',
        { ...limits, maxEventBytes: 1_000 },
        newUuid,
      ),
    ).toMatchObject({
      status: 413,
      message: expect.stringMatching(/^Event too big/),
    });
  });

  it("names each refusal with the newest service's code", () => {
    expect(parseCapture('{nope', '/batch/', limits, newUuid)).toMatchObject({
      code: 'request_parsing_error',
    });
    expect(parse({ api_key: 'k', batch: [] })).toMatchObject({ code: 'empty_batch' });
    expect(parse({ api_key: 'k', batch: [{ distinct_id: 'u' }] })).toMatchObject({
      code: 'missing_event_name',
    });
    expect(parse({ api_key: 'k', batch: [{ event: 'x' }] })).toMatchObject({ code: 'missing_distinct_id' });
    expect(parse({ batch: [{ event: 'x', distinct_id: 'u' }] })).toMatchObject({
      code: 'ingest_key_required',
    });
    expect(
      parse({ api_key: 'a', batch: [{ event: 'x', distinct_id: 'u', properties: { token: 'b' } }] }),
    ).toMatchObject({ code: 'unroutable_events' });
    expect(decodeCaptureBody(new Uint8Array(101), plain, 100)).toMatchObject({ code: 'payload_too_large' });
    const junk = new TextEncoder().encode('not gzip');
    expect(decodeCaptureBody(junk, { contentEncoding: 'gzip', compression: null }, 100)).toMatchObject({
      code: 'request_decoding_error',
      detail: 'invalid gzip data',
    });
  });
});
