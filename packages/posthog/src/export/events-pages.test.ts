import { err, IntegrationError, ok } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { fakeEvent, fakeEventsClient } from '../../test-support/export-fakes.ts';
import { eventsPages } from './events-pages.ts';
import type { ExportPage, PageSource } from './page-source.ts';

const signal = new AbortController().signal;

async function allPages(source: PageSource): Promise<ExportPage[]> {
  const pages: ExportPage[] = [];
  for (;;) {
    const page = await source.next(signal);
    if (!page.success) throw page.error;
    pages.push(page.data);
    if (page.data.last) return pages;
  }
}

function pagesOf(
  client: ReturnType<typeof fakeEventsClient>,
  node: Record<string, unknown>,
  pageSize: number,
) {
  const source = eventsPages(client, { kind: 'EventsQuery', ...node }, pageSize);
  if (!source.success) throw source.error;
  return allPages(source.data);
}

describe('eventsPages: keyset on (timestamp, uuid)', () => {
  it.each([1, 2, 3, 4, 5, 7, 10])(
    'pages of %i over ties of 3: every event once, in order',
    async (pageSize) => {
      const client = fakeEventsClient({ total: 20, tie: 3 });
      const pages = await pagesOf(client, { select: ['event', 'distinct_id'] }, pageSize);
      const rows = pages.flatMap((page) => page.rows);
      expect(rows).toEqual(
        Array.from({ length: 20 }, (_, i) => [fakeEvent(i).event, fakeEvent(i).distinct_id]),
      );
      expect(pages.every((page) => page.columns.join() === 'event,distinct_id')).toBe(true);
    },
  );

  it('selects timestamp and uuid when absent, orders by them and advances the keyset', async () => {
    const client = fakeEventsClient({ total: 5, tie: 5 });
    await pagesOf(
      client,
      { select: ['event'], orderBy: ['timestamp DESC'], where: ["event = '$pageview'"] },
      2,
    );
    const [first, second] = client.calls.nodes;
    expect(first).toMatchObject({
      select: ['event', 'timestamp', 'uuid'],
      orderBy: ['timestamp ASC', 'uuid ASC'],
      where: ["event = '$pageview'"],
      limit: 2,
    });
    const last = fakeEvent(1, 5);
    expect(second?.where).toEqual([
      "event = '$pageview'",
      `(timestamp > toDateTime('${last.timestamp}') OR (timestamp = toDateTime('${last.timestamp}') AND uuid > toUUID('${last.uuid}')))`,
    ]);
  });

  it('uses timestamp and uuid where the caller selected them (a `-- label` too), and keeps them in the output', async () => {
    const client = fakeEventsClient({ total: 4 });
    const pages = await pagesOf(client, { select: ['uuid', 'timestamp -- Time', 'event'] }, 3);
    expect(client.calls.nodes[0]?.select).toEqual(['uuid', 'timestamp -- Time', 'event']);
    expect(pages.flatMap((page) => page.rows)[3]).toEqual([
      fakeEvent(3).uuid,
      fakeEvent(3).timestamp,
      fakeEvent(3).event,
    ]);
  });

  it('ends on hasMore: false, without another query', async () => {
    const client = fakeEventsClient({ total: 10 });
    const pages = await pagesOf(client, { select: ['event'] }, 5);
    expect(pages.map((page) => page.rows.length)).toEqual([5, 5]);
    expect(client.calls.nodes).toHaveLength(2);
  });

  it('without hasMore, ends on a short page (or an empty one after a full page)', async () => {
    const client = fakeEventsClient({ total: 10, hasMore: false });
    const pages = await pagesOf(client, { select: ['event'] }, 5);
    expect(pages.map((page) => page.rows.length)).toEqual([5, 5, 0]);
    const short = fakeEventsClient({ total: 7, hasMore: false });
    expect((await pagesOf(short, { select: ['event'] }, 5)).map((page) => page.rows.length)).toEqual([5, 2]);
  });

  it("a node's limit caps the export; its offset skips rows before the first page only", async () => {
    const client = fakeEventsClient({ total: 50 });
    const pages = await pagesOf(client, { select: ['uuid'], limit: 7, offset: 10 }, 3);
    expect(pages.flatMap((page) => page.rows)).toEqual(
      Array.from({ length: 7 }, (_, i) => [fakeEvent(10 + i).uuid]),
    );
    expect(client.calls.nodes.map((node) => [node.limit, node.offset])).toEqual([
      [3, 10],
      [3, undefined],
      [1, undefined],
    ]);
  });

  it('refuses a select with an aggregate, naming it', () => {
    const client = fakeEventsClient({ total: 1 });
    expect(eventsPages(client, { kind: 'EventsQuery', select: ['event', 'count()'] }, 10)).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field: 'query.select.1' },
    });
  });

  it.each([
    [{ select: [] }, 'query.select'],
    [{ select: 'event' }, 'query.select'],
    [{ select: [''] }, 'query.select.0'],
    [{ select: ['event'], where: 'x' }, 'query.where'],
    [{ select: ['event'], limit: 0 }, 'query.limit'],
    [{ select: ['event'], offset: -1 }, 'query.offset'],
  ])('refuses %j naming %s', (node, field) => {
    const client = fakeEventsClient({ total: 1 });
    expect(eventsPages(client, { kind: 'EventsQuery', ...node }, 10)).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field },
    });
  });
});

describe('eventsPages: what the server answers is checked', () => {
  const source = (answer: unknown) => {
    const pages = eventsPages(
      { query: async () => ok(answer) },
      { kind: 'EventsQuery', select: ['event'] },
      2,
    );
    if (!pages.success) throw pages.error;
    return pages.data;
  };

  it('a hostile timestamp never reaches the next query', async () => {
    const inject = "2026-01-01T00:00:00Z') OR 1=1 OR ('";
    const calls: unknown[] = [];
    const pages = eventsPages(
      {
        query: async (node) => {
          calls.push(node);
          return ok({
            results: [
              ['a', '2026-01-01T00:00:00Z', fakeEvent(0).uuid],
              ['b', inject, fakeEvent(1).uuid],
            ],
            hasMore: true,
          });
        },
      },
      { kind: 'EventsQuery', select: ['event'] },
      2,
    );
    if (!pages.success) throw pages.error;
    const page = await pages.data.next(signal);
    expect(page).toMatchObject({
      success: false,
      error: { code: 'INVALID_RESPONSE', field: 'results.1.timestamp' },
    });
    if (!page.success) expect(page.error.message).not.toContain('1=1');
    expect(calls).toHaveLength(1);
  });

  it('a row with too few cells', async () => {
    expect(await source({ results: [['a']], hasMore: true }).next(signal)).toMatchObject({
      success: false,
      error: { code: 'INVALID_RESPONSE', field: 'results.0' },
    });
  });

  it('the same page twice (a server ignoring the keyset) ends with an error, not a loop', async () => {
    const rows = [
      ['a', fakeEvent(0).timestamp, fakeEvent(0).uuid],
      ['b', fakeEvent(1).timestamp, fakeEvent(1).uuid],
    ];
    const pages = source({ results: rows, hasMore: true });
    expect((await pages.next(signal)).success).toBe(true);
    expect(await pages.next(signal)).toMatchObject({
      success: false,
      error: { code: 'INVALID_RESPONSE', field: 'results' },
    });
  });

  it("the client's typed error as it is", async () => {
    const failure = new IntegrationError('RATE_LIMIT', 'throttled', { retryAfterMs: 1000 });
    const pages = eventsPages(
      { query: async () => err(failure) },
      { kind: 'EventsQuery', select: ['event'] },
      2,
    );
    if (!pages.success) throw pages.error;
    expect(await pages.data.next(signal)).toEqual({ success: false, error: failure });
  });
});

describe('eventsPages at PostHog’s 50 000-row cap', () => {
  it('asks for the next page after a full page of 50 000 even when hasMore says false', async () => {
    const nodes: Record<string, unknown>[] = [];
    const rowsOf = (from: number, count: number) =>
      Array.from({ length: count }, (_, index) => [
        `2026-01-01T00:00:${String(Math.floor((from + index) / 1_000) % 60).padStart(2, '0')}.${String((from + index) % 1_000).padStart(3, '0')}000Z`,
        `0190e3f2-7a7b-7c00-8000-${String(from + index).padStart(12, '0')}`,
      ]);
    let served = 0;
    const client = {
      async query(node: Record<string, unknown>) {
        nodes.push(node);
        const count = served === 0 ? 50_000 : 7;
        const results = rowsOf(served, count);
        served += count;
        return { success: true as const, data: { results, columns: ['timestamp', 'uuid'], hasMore: false } };
      },
    };
    const pages = eventsPages(client, { kind: 'EventsQuery', select: ['timestamp', 'uuid'] }, 50_000);
    if (!pages.success) throw pages.error;
    const first = await pages.data.next(signal);
    const second = await pages.data.next(signal);
    if (!first.success || !second.success) throw new Error('pages failed');
    expect([first.data.rows.length, first.data.last]).toEqual([50_000, false]);
    expect([second.data.rows.length, second.data.last]).toEqual([7, true]);
    expect(nodes).toHaveLength(2);
  });
});
