import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { err, IntegrationError, ok } from '@patchbay/core';
import { hostileValues, throwingProxy } from '@patchbay/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEvent, fakeEventsClient } from '../../test-support/export-fakes.ts';
import { defineReport, type ReportDefinition } from './define-report.ts';
import { type EmailMessage, emailDeliverer } from './email-deliverer.ts';
import { fileDeliverer } from './file-deliverer.ts';
import type { ReportDeliverer, ReportDelivery } from './report-delivery.ts';
import { runReport } from './run-report.ts';
import { webhookDeliverer } from './webhook-deliverer.ts';

const now = new Date('2026-03-31T09:15:00Z');
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'posthog-run-report-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const eventsReport = (deliver: ReportDeliverer, extra: Partial<ReportDefinition> = {}) =>
  defineReport({
    id: 'weekly-events',
    query: { kind: 'EventsQuery', select: ['event', 'distinct_id'] },
    format: 'csv',
    range: { last: '7d', until: 'startOfDay' },
    pageSize: 4,
    deliver,
    ...extra,
  });

// A deliverer that reads the body to its end and keeps it.
const collecting = () => {
  const seen: { delivery: ReportDelivery; text: string }[] = [];
  const deliver: ReportDeliverer = {
    async deliver(delivery) {
      seen.push({ delivery, text: await new Response(delivery.body).text() });
      return ok({ deliveredTo: 'memory' });
    },
  };
  return { seen, deliver };
};

describe('runReport', () => {
  it('exports the range relative to now and tells what it did', async () => {
    const client = fakeEventsClient({ total: 10 });
    const { seen, deliver } = collecting();
    const run = await runReport(eventsReport(deliver), { client, now });
    const range = { from: '2026-03-24T00:00:00.000Z', to: '2026-03-31T00:00:00.000Z' };
    expect(run).toMatchObject({
      success: true,
      data: {
        id: 'weekly-events',
        rows: 10,
        deliveredTo: 'memory',
        range,
        startedAt: '2026-03-31T09:15:00.000Z',
      },
    });
    if (!run.success) return;
    expect(run.data.bytes).toBe(new TextEncoder().encode(seen[0]?.text).byteLength);
    expect(Date.parse(run.data.finishedAt)).toBeGreaterThanOrEqual(now.getTime());
    expect(client.calls.nodes.every((node) => node.after === range.from && node.before === range.to)).toBe(
      true,
    );
    expect(seen[0]?.delivery).toMatchObject({
      reportId: 'weekly-events',
      format: 'csv',
      filename: 'weekly-events-2026-03-31.csv',
      range,
    });
    expect(seen[0]?.text.split('\r\n')[1]).toBe(`${fakeEvent(0).event},${fakeEvent(0).distinct_id}`);
  });

  it.each([
    [
      'HogQLQuery',
      {
        kind: 'HogQLQuery',
        query: 'select 1 where timestamp >= toDateTime({from}) and timestamp < toDateTime({to})',
        values: { x: 1 },
      },
    ],
    ['TrendsQuery', { kind: 'TrendsQuery', series: [{ kind: 'EventsNode', event: '$pageview' }] }],
  ])('gives the range to a %s as that kind takes it', async (kind, query) => {
    const nodes: Record<string, unknown>[] = [];
    const client = {
      query: async (node: Record<string, unknown>) => {
        nodes.push(node);
        return ok({ results: [] });
      },
    };
    const { deliver } = collecting();
    const report = defineReport({ id: 'r', query, format: 'json', deliver, range: { last: '24h' } });
    expect((await runReport(report, { client, now: now.getTime() })).success).toBe(true);
    const from = '2026-03-30T09:15:00.000Z';
    const to = '2026-03-31T09:15:00.000Z';
    if (kind === 'HogQLQuery') expect(nodes[0]?.values).toEqual({ x: 1, from, to });
    else expect(nodes[0]?.dateRange).toEqual({ date_from: from, date_to: to, explicitDate: true });
  });

  it('a function range is called with now', async () => {
    const client = fakeEventsClient({ total: 1 });
    const { deliver } = collecting();
    const report = eventsReport(deliver, {
      range: (at) => ({ from: new Date(at.getTime() - 60_000), to: at }),
    });
    const run = await runReport(report, { client, now });
    expect(run).toMatchObject({
      data: { range: { from: '2026-03-31T09:14:00.000Z', to: '2026-03-31T09:15:00.000Z' } },
    });
  });

  it('delivers to a file in a temp directory', async () => {
    const client = fakeEventsClient({ total: 9 });
    const report = eventsReport(fileDeliverer({ fs, directory: dir, filename: '{id}_{from}_{to}.{ext}' }), {
      format: 'ndjson',
    });
    const run = await runReport(report, { client, now });
    const path = join(dir, 'weekly-events_2026-03-24_2026-03-31.ndjson');
    expect(run).toMatchObject({ success: true, data: { rows: 9, deliveredTo: path } });
    const lines = (await fs.readFile(path, 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).distinct_id)).toEqual(
      Array.from({ length: 9 }, (_, i) => fakeEvent(i).distinct_id),
    );
  });

  it('delivers to a webhook (a local handler through the fetch option)', async () => {
    const bodies: string[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      bodies.push(`${request.headers.get('content-type')}|${await request.text()}`);
      return new Response(null, { status: bodies.length === 1 ? 503 : 204 });
    }) as typeof globalThis.fetch;
    const report = eventsReport(
      webhookDeliverer({
        url: 'https://hooks.example.com/in',
        fetch,
        retry: { retries: 2, initialDelayMs: 1, maxDelayMs: 2 },
      }),
      { format: 'json' },
    );
    const run = await runReport(report, { client: fakeEventsClient({ total: 5 }), now });
    expect(run).toMatchObject({
      success: true,
      data: { rows: 5, deliveredTo: 'https://hooks.example.com/in' },
    });
    expect(bodies).toHaveLength(2);
    const [type, body] = (bodies[1] as string).split('|');
    expect(type).toMatch(/^application\/json/);
    expect(JSON.parse(body as string)).toHaveLength(5);
  });

  it('delivers by email through a fake transport', async () => {
    const sent: EmailMessage[] = [];
    const report = eventsReport(
      emailDeliverer({
        transport: { send: async (message) => sent.push(message) },
        from: 'reports@example.com',
        to: 'team@example.com',
        subject: 'Events {from} to {to}',
      }),
    );
    const run = await runReport(report, { client: fakeEventsClient({ total: 3 }), now });
    expect(run).toMatchObject({ success: true, data: { rows: 3, deliveredTo: 'team@example.com' } });
    expect(sent[0]?.subject).toBe('Events 2026-03-24 to 2026-03-31');
    expect(new TextDecoder().decode(sent[0]?.attachments[0]?.content).split('\r\n')).toHaveLength(5);
  });

  it("a failed page is the run's error, whatever the deliverer answers", async () => {
    const failure = new IntegrationError('VALIDATION_ERROR', 'Unknown property', { status: 400 });
    const failing = () =>
      fakeEventsClient({ total: 20, before: (call) => (call === 2 ? err(failure) : undefined) });
    const { deliver } = collecting();
    const lenient: ReportDeliverer = {
      async deliver(delivery) {
        await deliver.deliver(delivery).catch(() => undefined);
        return ok({ deliveredTo: 'claims success' });
      },
    };
    expect(await runReport(eventsReport(lenient), { client: failing(), now })).toEqual({
      success: false,
      error: failure,
    });
    const path = join(dir, 'failed.csv');
    const toFile = await runReport(eventsReport(fileDeliverer({ fs, path })), { client: failing(), now });
    expect(toFile).toEqual({ success: false, error: failure });
    await expect(fs.stat(path)).rejects.toThrow();
  });

  it("a deliverer's failure is the run's error; one that throws is OPERATION_FAILED", async () => {
    const failure = new IntegrationError('SERVER_ERROR', 'upload failed');
    const client = fakeEventsClient({ total: 2 });
    expect(await runReport(eventsReport({ deliver: async () => err(failure) }), { client, now })).toEqual({
      success: false,
      error: failure,
    });
    const throwing = {
      deliver: async () => {
        throw new Error('boom');
      },
    };
    expect(await runReport(eventsReport(throwing), { client, now })).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED', field: 'deliver' },
    });
    expect(
      await runReport(eventsReport({ deliver: async () => 'done' as never }), { client, now }),
    ).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED', field: 'deliver' },
    });
  });

  it('a deliverer that does not read the whole export fails the run, and paging stops', async () => {
    const client = fakeEventsClient({ total: 100 });
    const lazy: ReportDeliverer = {
      async deliver(delivery) {
        const reader = delivery.body.getReader();
        await reader.read();
        reader.releaseLock();
        return ok({ deliveredTo: 'half' });
      },
    };
    expect(await runReport(eventsReport(lazy), { client, now })).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED', field: 'deliver' },
    });
    expect(client.calls.nodes).toHaveLength(1);
  });

  it('an abort ends the run ABORTED and aborts the query in flight', async () => {
    const controller = new AbortController();
    const client = fakeEventsClient({
      total: 100,
      before: (call, _node, signal) => {
        if (call !== 2) return undefined;
        controller.abort();
        return signal?.aborted ? err(new IntegrationError('ABORTED', 'aborted')) : undefined;
      },
    });
    const { deliver } = collecting();
    const run = await runReport(eventsReport(deliver), { client, now, signal: controller.signal });
    expect(run).toMatchObject({ success: false, error: { code: 'ABORTED' } });
    expect(client.calls.signals[1]?.aborted).toBe(true);
  });

  it('a range function that throws is a typed failure, with no query', async () => {
    const client = fakeEventsClient({ total: 1 });
    const { deliver } = collecting();
    const report = eventsReport(deliver, {
      range: () => {
        throw new Error('no');
      },
    });
    expect(await runReport(report, { client, now })).toMatchObject({
      success: false,
      error: { field: 'range' },
    });
    expect(client.calls.nodes).toHaveLength(0);
  });

  describe('hostile input', () => {
    const { deliver } = collecting();
    const report = eventsReport(deliver);

    it.each(hostileValues())('options that are %s: a typed failure', async (_, options) => {
      const run = await runReport(report, options as never);
      expect(run.success).toBe(false);
      if (!run.success) expect(run.error).toBeInstanceOf(IntegrationError);
    });

    it.each(hostileValues())('a report that is %s: a typed failure', async (_, value) => {
      const run = await runReport(value as never, { client: fakeEventsClient({ total: 1 }), now });
      expect(run).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR' } });
    });

    it.each(hostileValues())('a client that is %s: a typed failure, nothing delivered', async (_, client) => {
      const run = await runReport(report, { client: client as never, now });
      expect(run).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
    });

    it.each([
      ['an invalid Date', new Date(Number.NaN)],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['a string', '2026-03-31'],
      ['a Proxy', throwingProxy()],
    ])('now that is %s: VALIDATION_ERROR naming now', async (_, value) => {
      const run = await runReport(report, { client: fakeEventsClient({ total: 1 }), now: value as never });
      expect(run).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', field: 'now' } });
    });

    it('a signal that is not one', async () => {
      const run = await runReport(report, { client: fakeEventsClient({ total: 1 }), signal: {} as never });
      expect(run).toMatchObject({ success: false, error: { field: 'signal' } });
    });
  });
});
