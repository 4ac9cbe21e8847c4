// exportQuery through the real reading client against the PostHog emulator over HTTP: the keyset conditions and
// placeholders this package writes, run by the emulator's HogQL engine, with PostHog's OFFSET refusal and caps.
import { type RunningPostHogEmulator, startPostHogEmulator } from '@patchbay/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readText, readUntilError } from '../../test-support/export-fakes.ts';
import { createPostHogClient } from '../query/client.ts';
import { exportQuery } from './export-query.ts';

const BASE = Date.UTC(2026, 0, 5);
// 250 events over 5 timestamps (50 share each: a page boundary falls inside a tie), uuids out of order, and 30
// page views a minute apart.
const ticks = Array.from({ length: 250 }, (_, i) => ({
  uuid: `01940000-0000-7000-8000-${String((i * 7919) % 250).padStart(12, '0')}`,
  event: 'tick',
  distinct_id: `user-${i % 7}`,
  properties: { n: i, note: i % 10 === 0 ? '=HYPERLINK("x"), "quoted"\r\nline' : `plain ${i}` },
  timestamp: new Date(BASE + (i % 5) * 1000).toISOString(),
}));
const views = Array.from({ length: 30 }, (_, i) => ({
  uuid: `01940000-0000-7000-8001-${String(i).padStart(12, '0')}`,
  event: '$pageview',
  distinct_id: `user-${i % 3}`,
  properties: { $browser: i % 2 === 0 ? 'Chrome' : 'Firefox' },
  timestamp: new Date(BASE + 3_600_000 + i * 60_000).toISOString(),
}));
const seeded = [...ticks, ...views].map((event) => ({
  ...event,
  token: 'phc_emulator_project_key',
  path: '/batch/',
}));

// The ticks in (timestamp, uuid) order, as an export must give them.
const tickOrder = [...ticks].sort(
  (a, b) => a.timestamp.localeCompare(b.timestamp) || a.uuid.localeCompare(b.uuid),
);

let running: RunningPostHogEmulator;
beforeAll(async () => {
  running = await startPostHogEmulator({ port: 0, now: () => BASE + 86_400_000 });
});
afterAll(async () => {
  await running?.close();
});
beforeEach(() => {
  running.emulator.reset();
  running.emulator.seedEvents(seeded);
});

const client = () =>
  createPostHogClient({
    host: running.url,
    personalApiKey: running.emulator.personalApiKey,
    projectId: running.emulator.projectId,
    retry: { retries: 1, initialDelayMs: 5, maxDelayMs: 10 },
    poll: { initialDelayMs: 5, maxDelayMs: 20 },
  });

describe('exportQuery against the PostHog emulator', () => {
  it('an EventsQuery by keyset: every tick once, in (timestamp, uuid) order, across tied timestamps', async () => {
    const text = await readText(
      exportQuery({
        client: client(),
        query: {
          kind: 'EventsQuery',
          select: ['uuid', 'distinct_id', 'properties.n'],
          event: 'tick',
          after: '2026-01-01',
        },
        format: 'ndjson',
        pageSize: 7,
      }),
    );
    const rows = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { uuid: string });
    expect(rows.map((row) => row.uuid)).toEqual(tickOrder.map((tick) => tick.uuid));
    expect(Object.keys(rows[0] ?? {})).toEqual(['uuid', 'distinct_id', 'properties.n']);
    expect(running.emulator.queryStats().queries).toBe(Math.ceil(250 / 7));
  });

  it('a HogQL query by keyset placeholders: the same rows, the values bound by the server, no OFFSET', async () => {
    const text = await readText(
      exportQuery({
        client: client(),
        query: {
          kind: 'HogQLQuery',
          query:
            'SELECT timestamp, uuid, properties.note AS note FROM events WHERE event = {event} AND (timestamp > toDateTime({after_timestamp}) OR (timestamp = toDateTime({after_timestamp}) AND uuid > toUUID({after_uuid}))) ORDER BY timestamp, uuid',
          values: { event: 'tick' },
        },
        format: 'csv',
        pageSize: 40,
      }),
    );
    // CSV read back: quoted fields with CRLF inside them, and formula cells escaped.
    const records = parseCsv(text);
    expect(records[0]).toEqual(['timestamp', 'uuid', 'note']);
    expect(records.slice(1).map((record) => record[1])).toEqual(tickOrder.map((tick) => tick.uuid));
    const notes = records.slice(1).map((record) => record[2]);
    expect(notes).toContain('\'=HYPERLINK("x"), "quoted"\r\nline');
    expect(
      running.emulator.queryRequests().every((request) => !/offset/i.test(JSON.stringify(request.query))),
    ).toBe(true);
  });

  it('an aggregate HogQL query in one page, as JSON', async () => {
    const text = await readText(
      exportQuery({
        client: client(),
        query: {
          kind: 'HogQLQuery',
          query:
            'SELECT properties.$browser AS browser, count() AS views FROM events WHERE event = {event} GROUP BY browser ORDER BY browser',
          values: { event: '$pageview' },
        },
        format: 'json',
      }),
    );
    expect(JSON.parse(text)).toEqual([
      { browser: 'Chrome', views: 15 },
      { browser: 'Firefox', views: 15 },
    ]);
  });

  it('a trend as CSV rows of series and days', async () => {
    const text = await readText(
      exportQuery({
        client: client(),
        query: {
          kind: 'TrendsQuery',
          series: [{ kind: 'EventsNode', event: '$pageview', math: 'total' }],
          interval: 'day',
          dateRange: { date_from: '2026-01-04', date_to: '2026-01-05' },
        },
        format: 'csv',
      }),
    );
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('series,breakdown_value,date,label,value');
    expect(lines.slice(1).map((line) => line.split(',').at(-1))).toEqual(['0', '30']);
  });

  it("PostHog's OFFSET refusal errors the stream with its typed error", async () => {
    const { error } = await readUntilError(
      exportQuery({
        client: client(),
        query: {
          kind: 'HogQLQuery',
          query: 'SELECT event FROM events ORDER BY timestamp LIMIT 10 OFFSET 10',
        },
        format: 'csv',
      }),
    );
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 400 });
    expect(String((error as Error).message)).toContain('OFFSET is not supported');
  });

  it('cancelling the stream cancels the query in flight on PostHog', async () => {
    await running.close();
    running = await startPostHogEmulator({ port: 0, now: () => BASE + 86_400_000, queryLatencyMs: 2_000 });
    running.emulator.seedEvents(seeded);
    const reader = exportQuery({
      client: client(),
      query: { kind: 'EventsQuery', select: ['uuid'], after: '2026-01-01' },
      format: 'csv',
    }).getReader();
    const pending = reader.read();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await reader.cancel();
    expect((await pending).done).toBe(true);
    await expect.poll(() => running.emulator.queryStats().cancels, { timeout: 3_000 }).toBe(1);
  });
});

// RFC 4180 read back, for the test only: quoted fields with doubled quotes and line breaks.
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index++;
    } else field += char;
  }
  return records;
}
