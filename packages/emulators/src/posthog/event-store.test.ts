import { describe, expect, it } from 'vitest';
import type { CapturedEvent } from './capture.ts';
import { createPostHogEventStore, personIdFor, propertiesJsonOf } from './event-store.ts';

const event = (
  uuid: string,
  timestamp: string | undefined,
  properties: Record<string, unknown> = {},
): CapturedEvent => ({
  uuid,
  event: '$pageview',
  distinct_id: 'u1',
  properties,
  ...(timestamp === undefined ? {} : { timestamp }),
  token: 'phc_k',
  path: '/batch/',
});

describe('createPostHogEventStore', () => {
  it('keeps rows sorted by timestamp then uuid, whatever the insert order', () => {
    const store = createPostHogEventStore();
    store.insert([event('b', '2026-01-02T00:00:00Z'), event('c', '2026-01-01T00:00:00Z')]);
    store.insert([event('a', '2026-01-02T00:00:00Z'), event('d', '2026-01-03T00:00:00Z')]);
    store.insert([event('e', '2025-12-31T00:00:00Z')]);
    expect(store.rows().map((row) => row.uuid)).toEqual(['e', 'c', 'a', 'b', 'd']);
    expect(store.count()).toBe(5);
  });

  it('replaces an event stored under the same uuid (case-insensitively), within a batch too', () => {
    const store = createPostHogEventStore();
    store.insert([event('ID-1', '2026-01-01T00:00:00Z', { v: 1 })]);
    store.insert([event('id-1', '2026-01-05T00:00:00Z', { v: 2 }), event('x', '2026-01-02T00:00:00Z')]);
    store.insert([
      event('y', '2026-01-03T00:00:00Z', { v: 3 }),
      event('y', '2026-01-04T00:00:00Z', { v: 4 }),
    ]);
    expect(store.count()).toBe(3);
    expect(store.get('ID-1')?.properties).toEqual({ v: 2 });
    expect(store.get('y')?.properties).toEqual({ v: 4 });
    expect(store.rows().map((row) => row.uuid)).toEqual(['x', 'y', 'id-1']);
  });

  it('stamps the receive time, which stands in for a missing or unreadable timestamp', () => {
    const store = createPostHogEventStore();
    const receivedAt = new Date('2026-06-01T12:00:00Z');
    store.insert([event('a', undefined), event('b', 'not a date'), event('c', '2026-01-01T00:00:00.5Z')], {
      receivedAt,
    });
    expect(store.get('a')?.timestamp.us).toBe(receivedAt.getTime() * 1000);
    expect(store.get('b')?.timestamp.us).toBe(receivedAt.getTime() * 1000);
    expect(store.get('c')?.timestamp.us).toBe(Date.parse('2026-01-01T00:00:00.5Z') * 1000);
    expect(store.get('c')?.createdAt.us).toBe(receivedAt.getTime() * 1000);
  });

  it('moves the autocapture chain out of the properties and materialises $session_id and $window_id', () => {
    const store = createPostHogEventStore();
    store.insert([
      event('a', '2026-01-01T00:00:00Z', { $elements_chain: 'button:text="Go"', $session_id: 's1', x: 1 }),
    ]);
    const row = store.get('a')!;
    expect(row.elementsChain).toBe('button:text="Go"');
    expect(row.properties).toEqual({ $session_id: 's1', x: 1 });
    expect(propertiesJsonOf(row)).toBe('{"$session_id":"s1","x":1}');
    expect(row.sessionId).toBe('s1');
    expect(row.windowId).toBe('');
  });

  it('derives a stable UUID-shaped person id per distinct id', () => {
    expect(personIdFor('u1')).toBe(personIdFor('u1'));
    expect(personIdFor('u1')).not.toBe(personIdFor('u2'));
    expect(personIdFor('u1')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('finds timestamp bounds by binary search, and clears', () => {
    const store = createPostHogEventStore();
    store.insert(['a', 'b', 'c'].map((id, i) => event(id, `2026-01-0${i + 1}T00:00:00Z`)));
    const jan2 = Date.parse('2026-01-02T00:00:00Z') * 1000;
    expect(store.lowerBound(jan2)).toBe(1);
    expect(store.upperBound(jan2)).toBe(2);
    store.clear();
    expect(store.count()).toBe(0);
    expect(store.rows()).toEqual([]);
  });
});
