// The reading client against the PostHog emulator over HTTP (its query API: HogQL, trends, the async protocol,
// throttles): the queries this package writes, run by an engine that is not the client's own fake.
import { type RunningPostHogEmulator, startPostHogEmulator } from '@patchbay/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPostHogClient, type PostHogClient } from './client.ts';
import type { PostHogClientOptions } from './client-options.ts';

const DAY = 86_400_000;
const NOW = Date.now();
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();

// 300 page views over the last 60 days (five a day), 40 signups today, and 250 events sharing 5 timestamps (ties
// a keyset page must break by uuid), each with a uuid of its own.
const seeded = [
  ...Array.from({ length: 300 }, (_, i) => ({
    uuid: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
    event: '$pageview',
    distinct_id: `user-${i % 9}`,
    properties: { $browser: i % 3 === 0 ? 'Chrome' : 'Safari' },
    timestamp: at(Math.floor(i / 5) * DAY + 3_600_000),
  })),
  ...Array.from({ length: 40 }, (_, i) => ({
    uuid: `00000000-0000-7000-8001-${String(i).padStart(12, '0')}`,
    event: 'signup',
    distinct_id: `user-${i}`,
    properties: { plan: i % 2 === 0 ? 'pro' : 'free' },
    timestamp: at(60_000 + i),
  })),
  ...Array.from({ length: 250 }, (_, i) => ({
    uuid: `00000000-0000-7000-8002-${String((i * 7919) % 250).padStart(12, '0')}`,
    event: 'tick',
    distinct_id: 'clock',
    properties: { n: i },
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 5)).toISOString(),
  })),
].map((event) => ({ ...event, token: 'phc_emulator_project_key', path: '/batch/' }));

let running: RunningPostHogEmulator;
beforeAll(async () => {
  running = await startPostHogEmulator({ port: 0 });
});
afterAll(async () => {
  await running?.close();
});
beforeEach(() => {
  running.emulator.reset();
  running.emulator.seedEvents(seeded);
});

// A fresh emulator with other options, seeded.
async function restart(options: Parameters<typeof startPostHogEmulator>[0]): Promise<void> {
  await running.close();
  running = await startPostHogEmulator({ port: 0, ...options });
  running.emulator.seedEvents(seeded);
}

const client = (options: Partial<PostHogClientOptions> = {}): PostHogClient =>
  createPostHogClient({
    host: running.url,
    personalApiKey: running.emulator.personalApiKey,
    projectId: running.emulator.projectId,
    retry: { retries: 2, initialDelayMs: 5, maxDelayMs: 20 },
    poll: { initialDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });

describe('against the PostHog emulator', () => {
  it('counts page views over the last N days', async () => {
    const posthog = client();
    expect(await posthog.getTotalPageViews({ days: 7 })).toEqual({ success: true, data: 35 });
    expect(await posthog.getTotalPageViews()).toEqual({ success: true, data: 150 });
  });

  it('runs HogQL with placeholders', async () => {
    const result = await client().hogql<[string, number]>(
      'SELECT properties.plan, count() FROM events WHERE event = {event} GROUP BY properties.plan ORDER BY properties.plan',
      { values: { event: 'signup' } },
    );
    expect(result).toMatchObject({
      success: true,
      data: {
        rows: [
          ['free', 20],
          ['pro', 20],
        ],
      },
    });
  });

  it('runs a trend by day with a breakdown', async () => {
    const result = await client().trends({
      series: [{ event: 'signup' }],
      dateRange: { date_from: '-2d' },
      interval: 'day',
      breakdown: 'plan',
    });
    if (!result.success) throw result.error;
    const counts = Object.fromEntries(
      result.data.map((series) => [String(series.breakdown_value), series.count]),
    );
    expect(counts).toEqual({ free: 20, pro: 20 });
  });

  it('walks events by keyset across pages that split a timestamp, each once and in order', async () => {
    const uuids: string[] = [];
    for await (const page of client().events({ after: '2026-01-01', before: '2026-01-02', pageSize: 40 })) {
      if (!page.success) throw page.error;
      for (const event of page.data) uuids.push(event.uuid);
    }
    const ticks = seeded.filter((event) => event.event === 'tick');
    const expected = ticks
      .map((event) => [event.timestamp, event.uuid] as const)
      .sort(([ta, ua], [tb, ub]) => (ta === tb ? (ua < ub ? -1 : 1) : ta < tb ? -1 : 1))
      .map(([, uuid]) => uuid);
    expect(uuids).toEqual(expected);
  });

  it('filters events by name and property', async () => {
    const events = [];
    for await (const page of client().events({
      after: at(DAY),
      event: 'signup',
      properties: { plan: 'pro' },
    })) {
      if (!page.success) throw page.error;
      events.push(...page.data);
    }
    expect(events).toHaveLength(20);
    expect(events.every((event) => event.properties.plan === 'pro')).toBe(true);
  });

  it('runs an EventsQuery and answers it typed', async () => {
    const result = await client().query({
      kind: 'EventsQuery',
      select: ['event', 'count()'],
      event: 'signup',
      after: '-1d',
    });
    expect(result).toMatchObject({
      success: true,
      data: { results: [['signup', 40]], columns: ['event', 'count()'] },
    });
  });
});

describe('the async protocol against the emulator', () => {
  it('polls an async query until it completes', async () => {
    await restart({ asyncQueries: { completeAfterPolls: 3 } });
    expect(await client().getTotalPageViews({ days: 7 })).toEqual({ success: true, data: 35 });
    expect(running.emulator.queryStats()).toMatchObject({ queries: 1, polls: 3 });
  });

  it('cancels an async query the caller aborts', async () => {
    await restart({ asyncQueries: { completeAfterPolls: 1000 } });
    const controller = new AbortController();
    const pending = client({ poll: { initialDelayMs: 5, maxDelayMs: 5 } }).hogql('SELECT 1', {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    expect(await pending).toMatchObject({ success: false, error: { code: 'ABORTED' } });
    expect(running.emulator.queryStats()).toMatchObject({ queries: 1, cancels: 1 });
  });

  it("answers a HogQL error as VALIDATION_ERROR with the emulator's message", async () => {
    await restart({});
    const result = await client().hogql('SELECT nope FROM events');
    expect(result).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', status: 400 } });
  });
});
