import { hostileValues } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { prepareEvent } from './capture-event.ts';

const now = Date.UTC(2026, 11, 7, 9, 30);
const options = { now, maxEventBytes: 1_000_000, lib: { $lib: '@patchbay/posthog' } };

const field = (input: unknown) => {
  const result = prepareEvent(input, options);
  if (result.success) throw new Error('expected a refusal');
  expect(result.error.code).toBe('VALIDATION_ERROR');
  return result.error.field;
};

describe('prepareEvent', () => {
  it("renders PostHog's batch item with a v7 uuid, the capture time and the library properties", () => {
    const result = prepareEvent(
      { event: 'signed_up', distinctId: 'user-1', properties: { plan: 'pro' } },
      options,
    );
    if (!result.success) throw result.error;
    expect(JSON.parse(result.data.payload)).toEqual({
      uuid: result.data.uuid,
      event: 'signed_up',
      distinct_id: 'user-1',
      properties: { $lib: '@patchbay/posthog', plan: 'pro' },
      timestamp: '2026-12-07T09:30:00.000Z',
    });
    expect(result.data.uuid[14]).toBe('7');
  });

  it('keeps a given uuid (lower-cased) and reads Date, ISO and epoch timestamps', () => {
    const uuid = '0190E3F2-7A7B-7C00-8000-000000000001';
    for (const timestamp of [new Date(Date.UTC(2026, 0, 2)), '2026-01-02T00:00:00Z', Date.UTC(2026, 0, 2)]) {
      const result = prepareEvent({ event: 'x', distinctId: 'd', uuid, timestamp }, options);
      if (!result.success) throw result.error;
      expect(result.data.uuid).toBe(uuid.toLowerCase());
      expect(JSON.parse(result.data.payload).timestamp).toBe('2026-01-02T00:00:00.000Z');
    }
  });

  it('refuses what would make PostHog refuse the whole batch, naming the field', () => {
    expect(field({ distinctId: 'd' })).toBe('event');
    expect(field({ event: '', distinctId: 'd' })).toBe('event');
    expect(field({ event: 'x' })).toBe('distinctId');
    expect(field({ event: 'x', distinctId: '   ' })).toBe('distinctId');
    expect(field({ event: 'x', distinctId: 'd'.repeat(201) })).toBe('distinctId');
    expect(field({ event: 'x', distinctId: 7 })).toBe('distinctId');
    expect(field({ event: 'x', distinctId: 'd', properties: [1] })).toBe('properties');
    expect(field({ event: 'x', distinctId: 'd', uuid: 'not-a-uuid' })).toBe('uuid');
    expect(field({ event: 'x', distinctId: 'd', timestamp: 'yesterday' })).toBe('timestamp');
    expect(field({ event: 'x', distinctId: 'd', timestamp: new Date(Number.NaN) })).toBe('timestamp');
    expect(field({ event: 'x', distinctId: 'd', distinct_id: 'd' })).toBe('distinct_id');
    expect(field({ event: 'x', distinctId: 'd', properties: { n: 10n } })).toBe('properties.n');
    expect(field(null)).toBe('event');
  });

  it('refuses an event over the size limit at capture, measured in UTF-8 bytes', () => {
    const big = { event: 'x', distinctId: 'd', properties: { blob: 'é'.repeat(600_000) } };
    expect(field(big)).toBe('properties');
    const fits = prepareEvent(
      { event: 'x', distinctId: 'd', properties: { blob: 'a'.repeat(900_000) } },
      options,
    );
    expect(fits.success).toBe(true);
  });

  it('renders the same JSON on its fast path as on its field-by-field path', () => {
    const uuid = '0190e3f2-7a7b-7c00-8000-000000000009';
    const at = Date.UTC(2026, 5, 1, 12, 0, 0, 5);
    const shapes = [
      {},
      { plan: 'pro', n: 1.5, ok: true, none: null },
      { nested: { list: [1, 'two', { three: [] }], 'é 🚀': 'ü\n"quoted"' } },
      { $lib: 'mine', skipped: undefined },
      { when: new Date(at) },
    ];
    for (const properties of shapes) {
      // A Date timestamp takes the fast path, epoch milliseconds the checked one.
      const fast = prepareEvent(
        { event: 'e "x"', distinctId: 'd', properties, uuid, timestamp: new Date(at) },
        options,
      );
      const checked = prepareEvent(
        { event: 'e "x"', distinctId: 'd', properties, uuid, timestamp: at },
        options,
      );
      if (!fast.success || !checked.success) throw new Error('both should pass');
      expect(JSON.parse(fast.data.payload)).toEqual(JSON.parse(checked.data.payload));
    }
  });

  it('names the field of a value JSON cannot carry, whichever path finds it', () => {
    expect(field({ event: 'x', distinctId: 'd', properties: { f: () => 1 } })).toBe('properties.f');
    expect(field({ event: 'x', distinctId: 'd', properties: { list: [1, undefined] } })).toBe(
      'properties.list.1',
    );
    expect(field({ event: 'x', distinctId: 'd', properties: { n: Number.NaN } })).toBe('properties.n');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(field({ event: 'x', distinctId: 'd', properties: cyclic })).toMatch(/^properties/);
  });

  it('never throws on hostile input', () => {
    for (const [, value] of hostileValues()) {
      expect(() => prepareEvent(value, options)).not.toThrow();
      expect(() =>
        prepareEvent({ event: value, distinctId: value, properties: value }, options),
      ).not.toThrow();
    }
  });
});
