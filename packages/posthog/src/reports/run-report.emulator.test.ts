// Reports run through the real reading client against the PostHog emulator over HTTP: ranges relative to a fixed
// now reach HogQL as {from}/{to}, events as after/before and trends as dateRange, and select exactly those events.
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningPostHogEmulator, startPostHogEmulator } from '@patchbay/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostHogClient } from '../query/client.ts';
import { defineReport } from './define-report.ts';
import { type EmailMessage, emailDeliverer } from './email-deliverer.ts';
import { fileDeliverer } from './file-deliverer.ts';
import { runReport } from './run-report.ts';

const NOW = new Date('2026-03-31T09:15:00Z');
// One signup an hour for the 20 days before now: the 7 whole days before 31 March hold 7 × 24 of them.
const signups = Array.from({ length: 20 * 24 }, (_, i) => ({
  uuid: `01950000-0000-7000-8000-${String(i).padStart(12, '0')}`,
  event: 'signed_up',
  distinct_id: `user-${i}`,
  properties: { plan: i % 4 === 0 ? 'pro' : 'free' },
  timestamp: new Date(NOW.getTime() - (i + 1) * 3_600_000).toISOString(),
  token: 'phc_emulator_project_key',
  path: '/batch/',
}));
const inWeek = signups.filter(
  (event) => event.timestamp >= '2026-03-24T00:00:00.000Z' && event.timestamp < '2026-03-31T00:00:00.000Z',
);

let running: RunningPostHogEmulator;
let dir: string;
beforeAll(async () => {
  running = await startPostHogEmulator({ port: 0, now: () => NOW.getTime() });
  running.emulator.seedEvents(signups);
  dir = await fs.mkdtemp(join(tmpdir(), 'posthog-report-emulator-'));
});
afterAll(async () => {
  await running?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const client = () =>
  createPostHogClient({
    host: running.url,
    personalApiKey: running.emulator.personalApiKey,
    projectId: running.emulator.projectId,
    retry: { retries: 1, initialDelayMs: 5, maxDelayMs: 10 },
  });

const week = { last: '7d', until: 'startOfDay' } as const;

describe('runReport against the PostHog emulator', () => {
  it('an events report over the last 7 whole days, to a file', async () => {
    const report = defineReport({
      id: 'weekly-signups',
      query: {
        kind: 'EventsQuery',
        select: ['timestamp', 'distinct_id', 'properties.plan'],
        event: 'signed_up',
      },
      format: 'csv',
      range: week,
      pageSize: 50,
      deliver: fileDeliverer({ fs, directory: dir, filename: '{id}_{from}_{to}.{ext}' }),
    });
    const run = await runReport(report, { client: client(), now: NOW });
    const path = join(dir, 'weekly-signups_2026-03-24_2026-03-31.csv');
    expect(run).toMatchObject({
      success: true,
      data: {
        rows: inWeek.length,
        deliveredTo: path,
        range: { from: '2026-03-24T00:00:00.000Z', to: '2026-03-31T00:00:00.000Z' },
      },
    });
    const lines = (await fs.readFile(path, 'utf8')).trim().split('\r\n');
    expect(lines).toHaveLength(inWeek.length + 1);
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual(
      [...inWeek].reverse().map((event) => event.distinct_id),
    );
  });

  it('a HogQL report with {from} and {to}, by email', async () => {
    const sent: EmailMessage[] = [];
    const report = defineReport({
      id: 'plans',
      query: {
        kind: 'HogQLQuery',
        query:
          'SELECT properties.plan AS plan, count() AS signups FROM events WHERE event = {event} AND timestamp >= toDateTime({from}) AND timestamp < toDateTime({to}) GROUP BY plan ORDER BY plan',
        values: { event: 'signed_up' },
      },
      format: 'json',
      range: week,
      deliver: emailDeliverer({
        transport: { send: async (message) => sent.push(message) },
        from: 'reports@example.com',
        to: ['team@example.com'],
        subject: 'Plans {from} to {to}',
      }),
    });
    const run = await runReport(report, { client: client(), now: NOW });
    expect(run).toMatchObject({ success: true, data: { rows: 2, deliveredTo: 'team@example.com' } });
    const pro = inWeek.filter((event) => event.properties.plan === 'pro').length;
    expect(JSON.parse(new TextDecoder().decode(sent[0]?.attachments[0]?.content))).toEqual([
      { plan: 'free', signups: inWeek.length - pro },
      { plan: 'pro', signups: pro },
    ]);
    expect(sent[0]?.subject).toBe('Plans 2026-03-24 to 2026-03-31');
  });

  it('a trend report with its dateRange from the range', async () => {
    const sent: EmailMessage[] = [];
    const report = defineReport({
      id: 'daily-signups',
      query: {
        kind: 'TrendsQuery',
        series: [{ kind: 'EventsNode', event: 'signed_up', math: 'total' }],
        interval: 'day',
      },
      format: 'csv',
      range: { last: '3d', until: 'startOfDay' },
      deliver: emailDeliverer({
        transport: { send: async (message) => sent.push(message) },
        from: 'reports@example.com',
        to: 'team@example.com',
        subject: 'Daily signups',
      }),
    });
    const run = await runReport(report, { client: client(), now: NOW.getTime() });
    expect(run.success).toBe(true);
    const csv = new TextDecoder().decode(sent[0]?.attachments[0]?.content);
    const values = csv
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => Number(line.split(',').at(-1)));
    expect(values.reduce((sum, value) => sum + value, 0)).toBe(3 * 24);
    expect(running.emulator.queryRequests().at(-1)?.query).toMatchObject({
      dateRange: {
        date_from: '2026-03-28T00:00:00.000Z',
        date_to: '2026-03-31T00:00:00.000Z',
        explicitDate: true,
      },
    });
  });
});
