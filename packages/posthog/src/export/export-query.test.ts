import { err, IntegrationError } from '@patchbay/core';
import { hostileValues } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { fakeEvent, fakeEventsClient, readText, readUntilError } from '../../test-support/export-fakes.ts';
import { EXPORT_FORMATS } from './export-format.ts';
import { exportQuery } from './export-query.ts';

const eventsQuery = {
  kind: 'EventsQuery',
  select: ['event', 'distinct_id', 'properties.$current_url'],
  after: '-7d',
};

describe('exportQuery', () => {
  it('CSV: a header and every event once, across pages with tied timestamps', async () => {
    const client = fakeEventsClient({ total: 25, tie: 4 });
    const text = await readText(exportQuery({ client, query: eventsQuery, format: 'csv', pageSize: 6 }));
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('event,distinct_id,properties.$current_url');
    expect(lines.slice(1, -1)).toEqual(
      Array.from({ length: 25 }, (_, i) => {
        const event = fakeEvent(i, 4);
        return `${event.event},${event.distinct_id},${event.properties.$current_url}`;
      }),
    );
    expect(lines.at(-1)).toBe('');
    expect(client.calls.nodes).toHaveLength(5);
  });

  it('JSON: one valid array of row objects', async () => {
    const client = fakeEventsClient({ total: 7 });
    const text = await readText(
      exportQuery({ client, query: { ...eventsQuery, select: ['*'] }, format: 'json', pageSize: 3 }),
    );
    const rows = JSON.parse(text) as { '*': { uuid: string } }[];
    expect(rows.map((row) => row['*'].uuid)).toEqual(Array.from({ length: 7 }, (_, i) => fakeEvent(i).uuid));
  });

  it('JSON and CSV of nothing', async () => {
    const client = fakeEventsClient({ total: 0 });
    expect(JSON.parse(await readText(exportQuery({ client, query: eventsQuery, format: 'json' })))).toEqual(
      [],
    );
    expect(await readText(exportQuery({ client, query: eventsQuery, format: 'csv' }))).toBe(
      'event,distinct_id,properties.$current_url\r\n',
    );
    expect(await readText(exportQuery({ client, query: eventsQuery, format: 'ndjson' }))).toBe('');
  });

  it('NDJSON: one valid object a line, HogQL paged by keyset', async () => {
    const client = fakeEventsClient({ total: 11 });
    const query = {
      kind: 'HogQLQuery',
      query:
        'select event, distinct_id, timestamp, uuid from events where timestamp > toDateTime({after_timestamp}) or (timestamp = toDateTime({after_timestamp}) and uuid > toUUID({after_uuid})) order by timestamp, uuid',
    };
    const text = await readText(exportQuery({ client, query, format: 'ndjson', pageSize: 4 }));
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((line) => JSON.parse(line).uuid)).toEqual(
      Array.from({ length: 11 }, (_, i) => fakeEvent(i).uuid),
    );
    expect(client.calls.nodes).toHaveLength(3);
  });

  it('a trend as CSV', async () => {
    const client = {
      query: async () => ({
        success: true as const,
        data: {
          results: [
            {
              label: '$pageview',
              data: [5, 7],
              days: ['2026-03-01', '2026-03-02'],
              labels: ['1-Mar', '2-Mar'],
            },
          ],
        },
      }),
    };
    expect(
      await readText(exportQuery({ client, query: { kind: 'TrendsQuery', series: [] }, format: 'csv' })),
    ).toBe(
      'series,breakdown_value,date,label,value\r\n$pageview,,2026-03-01,1-Mar,5\r\n$pageview,,2026-03-02,2-Mar,7\r\n',
    );
  });

  it('an error mid-stream rejects the read with the client error, after the rows before', async () => {
    const failure = new IntegrationError('SERVER_ERROR', 'PostHog answered 503', { status: 503 });
    const client = fakeEventsClient({ total: 30, before: (call) => (call === 3 ? err(failure) : undefined) });
    const { text, error } = await readUntilError(
      exportQuery({ client, query: eventsQuery, format: 'ndjson', pageSize: 5 }),
    );
    expect(error).toBe(failure);
    expect(text.split('\n').filter(Boolean)).toHaveLength(10);
  });

  it('reader.cancel() aborts the query in flight', async () => {
    let release!: () => void;
    const started = new Promise<void>((resolve) => {
      release = resolve;
    });
    const client = fakeEventsClient({
      total: 30,
      before: (call, _node, signal) =>
        call === 2
          ? new Promise((resolve) => {
              release();
              signal?.addEventListener('abort', () =>
                resolve(err(new IntegrationError('ABORTED', 'aborted'))),
              );
            })
          : undefined,
    });
    const reader = exportQuery({ client, query: eventsQuery, format: 'csv', pageSize: 5 }).getReader();
    await reader.read();
    const pending = reader.read();
    await started;
    await reader.cancel();
    expect(client.calls.signals[1]?.aborted).toBe(true);
    expect((await pending).done).toBe(true);
    expect(client.calls.nodes).toHaveLength(2);
  });

  it('the abort signal aborts the query in flight and errors the stream with ABORTED', async () => {
    const controller = new AbortController();
    const client = fakeEventsClient({
      total: 30,
      before: (call, _node, signal) => {
        if (call !== 2) return undefined;
        controller.abort();
        return signal?.aborted ? err(new IntegrationError('ABORTED', 'aborted')) : undefined;
      },
    });
    const { error } = await readUntilError(
      exportQuery({ client, query: eventsQuery, format: 'csv', pageSize: 5, signal: controller.signal }),
    );
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(client.calls.signals[1]?.aborted).toBe(true);
    expect(client.calls.nodes).toHaveLength(2);
  });

  it.each(hostileValues())(
    'options that are %s give a stream erroring with a typed error, never a throw',
    async (_, options) => {
      const { error } = await readUntilError(exportQuery(options as never));
      expect(error).toBeInstanceOf(IntegrationError);
    },
  );

  it('names the content type of each format', () => {
    expect(EXPORT_FORMATS.csv.contentType).toMatch(/^text\/csv/);
    expect(EXPORT_FORMATS.ndjson.extension).toBe('ndjson');
  });
});
