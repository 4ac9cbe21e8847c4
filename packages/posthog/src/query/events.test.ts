import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, type SeenRequest, sentQuery, testClient } from '../../test-support/query-fetch.ts';
import { eventsPageSql } from './events.ts';

interface StoredEvent {
  uuid: string;
  event: string;
  timestamp: string;
  distinct_id: string;
  properties: Record<string, unknown>;
}

// 2 500 events over 25 timestamps: a hundred share each one, so pages end in the middle of a timestamp.
const stored: StoredEvent[] = Array.from({ length: 2500 }, (_, i) => ({
  uuid: `0190${String(i).padStart(4, '0')}-0000-7000-8000-000000000000`,
  event: i % 5 === 0 ? 'signup' : '$pageview',
  timestamp: new Date(Date.UTC(2026, 11, 1) + Math.floor(i / 100) * 60_000)
    .toISOString()
    .replace('Z', '000Z'),
  distinct_id: `user-${i % 7}`,
  properties: { $browser: i % 2 === 0 ? 'Chrome' : 'Firefox', n: i },
}));

// The query API's side of the keyset: what PostHog does with the page's SQL and placeholders.
function keysetServer(request: SeenRequest) {
  const { query, values } = sentQuery(request);
  const limit = Number(/LIMIT (\d+)$/.exec(query)?.[1]);
  const time = (text: unknown) => Date.parse(String(text));
  const rows = stored
    .filter((e) => time(e.timestamp) >= time(values.after) && time(e.timestamp) < time(values.before))
    .filter((e) => values.event === undefined || e.event === values.event)
    .filter(
      (e) => values.property_0 === undefined || e.properties[values.property_0 as string] === values.value_0,
    )
    .filter(
      (e) =>
        values.cursor_timestamp === undefined ||
        time(e.timestamp) > time(values.cursor_timestamp) ||
        (time(e.timestamp) === time(values.cursor_timestamp) && e.uuid > (values.cursor_uuid as string)),
    )
    .sort((a, b) => time(a.timestamp) - time(b.timestamp) || (a.uuid < b.uuid ? -1 : 1))
    .slice(0, limit)
    .map((e) => [e.uuid, e.event, e.timestamp, e.distinct_id, JSON.stringify(e.properties)]);
  return json({ results: rows, columns: ['uuid', 'event', 'timestamp', 'distinct_id', 'properties'] });
}

async function collect(pages: AsyncIterable<{ success: boolean; data?: unknown; error?: unknown }>) {
  const out: unknown[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('events', () => {
  it('walks every event once, oldest first, a page per query, across pages that split a timestamp', async () => {
    const { client, seen } = testClient(keysetServer);
    const uuids: string[] = [];
    let pages = 0;
    for await (const page of client.events({ after: '2026-12-01', before: '2026-12-02', pageSize: 333 })) {
      if (!page.success) throw page.error;
      pages += 1;
      for (const event of page.data) uuids.push(event.uuid);
    }
    expect(uuids).toEqual(stored.map((e) => e.uuid));
    expect(pages).toBe(8);
    // 7 full pages and a short one: no query after the short page.
    expect(seen).toHaveLength(8);
  });

  it('yields events with their properties parsed', async () => {
    const { client } = testClient(keysetServer);
    let first: unknown;
    for await (const page of client.events({ after: new Date(Date.UTC(2026, 11, 1)), pageSize: 1 })) {
      first = page;
      break;
    }
    expect(first).toEqual({
      success: true,
      data: [
        {
          uuid: stored[0]!.uuid,
          event: 'signup',
          timestamp: '2026-12-01T00:00:00.000000Z',
          distinctId: 'user-0',
          properties: { $browser: 'Chrome', n: 0 },
        },
      ],
    });
  });

  it('keys each next page on the last event of the page before, every value a placeholder', async () => {
    const { client, seen } = testClient(keysetServer);
    await collect(
      client.events({
        after: '2026-12-01',
        before: '2026-12-02',
        pageSize: 150,
        event: '$pageview',
        properties: { $browser: 'Chrome' },
      }),
    );
    const [first, second] = seen.map(
      (r) => r.body?.query as { query: string; values: Record<string, unknown> },
    );
    expect(first?.query).toBe(eventsPageSql({ event: '$pageview', properties: [1], pageSize: 150 }, false));
    expect(first?.values).toEqual({
      after: '2026-12-01T00:00:00.000Z',
      before: '2026-12-02T00:00:00.000Z',
      event: '$pageview',
      property_0: '$browser',
      value_0: 'Chrome',
    });
    expect(second?.query).toContain('uuid > {cursor_uuid}');
    const matching = stored.filter((e) => e.event === '$pageview' && e.properties.$browser === 'Chrome');
    expect(second?.values).toMatchObject({
      cursor_timestamp: matching[149]!.timestamp,
      cursor_uuid: matching[149]!.uuid,
    });
  });

  it('writes the keyset condition in the order of the sort', () => {
    expect(eventsPageSql({ properties: [], pageSize: 10 }, true)).toBe(
      'SELECT uuid, event, timestamp, distinct_id, properties FROM events WHERE timestamp >= toDateTime({after}) ' +
        'AND timestamp < toDateTime({before}) AND (timestamp > toDateTime({cursor_timestamp}) OR ' +
        '(timestamp = toDateTime({cursor_timestamp}) AND uuid > {cursor_uuid})) ORDER BY timestamp ASC, uuid ASC LIMIT 10',
    );
  });

  it('ends `before` at the time the walk starts unless told', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 7), toFake: ['Date'] });
    const { client, seen } = testClient(() => json({ results: [] }));
    expect(await collect(client.events({ after: '2026-12-01' }))).toEqual([{ success: true, data: [] }]);
    expect(sentQuery(seen[0]).values.before).toBe('2026-12-07T00:00:00.000Z');
  });

  it('sends no further query when the loop is left early', async () => {
    const { client, seen } = testClient(keysetServer);
    for await (const page of client.events({ after: '2026-12-01', before: '2026-12-02', pageSize: 10 })) {
      expect(page.success).toBe(true);
      break;
    }
    expect(seen).toHaveLength(1);
  });

  it('yields a failure once and ends', async () => {
    const { client } = testClient((_, index) =>
      index === 0 ? keysetServer(_) : json({ type: 'validation_error', detail: 'nope', attr: null }, 400),
    );
    const pages = await collect(client.events({ after: '2026-12-01', before: '2026-12-02', pageSize: 100 }));
    expect(pages).toHaveLength(2);
    expect(pages[1]).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
  });

  it('stops with INVALID_RESPONSE when PostHog answers the same last event again', async () => {
    const row = [stored[0]!.uuid, 'e', stored[0]!.timestamp, 'd', '{}'];
    const { client, seen } = testClient(() => json({ results: [row, row] }));
    const pages = await collect(client.events({ after: '2026-12-01', before: '2026-12-02', pageSize: 2 }));
    expect(pages.at(-1)).toMatchObject({
      success: false,
      error: { code: 'INVALID_RESPONSE', field: 'cursor' },
    });
    expect(seen).toHaveLength(2);
  });

  it.each([
    [['only', 'three', 'columns']],
    [[1, 'e', 't', 'd', '{}']],
    [['u', 'e', 't', 'd', '{not json']],
    [['u', 'e', 't', 'd', '[1]']],
  ])('answers a row that is not an event (%j) with INVALID_RESPONSE', async (row) => {
    const { client } = testClient(() => json({ results: [row] }));
    const pages = await collect(client.events({ after: '2026-12-01', before: '2026-12-02' }));
    expect(pages).toEqual([
      expect.objectContaining({
        success: false,
        error: expect.objectContaining({ code: 'INVALID_RESPONSE', field: 'results.0' }),
      }),
    ]);
  });

  it.each([
    [undefined, 'options'],
    [{}, 'options.after'],
    [{ after: 'yesterday-ish' }, 'options.after'],
    [{ after: new Date(Number.NaN) }, 'options.after'],
    [{ after: '2026-12-02', before: '2026-12-01' }, 'options.before'],
    [{ after: '2026-12-01', event: '' }, 'options.event'],
    [{ after: '2026-12-01', pageSize: 0 }, 'options.pageSize'],
    [{ after: '2026-12-01', pageSize: 50_001 }, 'options.pageSize'],
    [{ after: '2026-12-01', properties: [] }, 'options.properties'],
    [{ after: '2026-12-01', properties: { a: { nested: 1 } } }, 'options.properties'],
    [
      {
        after: '2026-12-01',
        properties: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, i])),
      },
      'options.properties',
    ],
  ])('refuses %j before any request, naming %s', async (options, field) => {
    const { client, seen } = testClient(keysetServer);
    const pages = await collect(client.events(options as never));
    expect(pages).toEqual([
      expect.objectContaining({
        success: false,
        error: expect.objectContaining({ code: 'VALIDATION_ERROR', field }),
      }),
    ]);
    expect(seen).toEqual([]);
  });
});
