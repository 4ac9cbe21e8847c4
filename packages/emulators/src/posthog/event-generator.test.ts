import { describe, expect, it } from 'vitest';
import { chainToElements } from './elements-chain.ts';
import { generatePostHogEvents } from './event-generator.ts';
import { createPostHogEventStore } from './event-store.ts';
import { runPostHogQuery } from './query-engine.ts';

const from = new Date('2026-11-01T00:00:00Z');
const to = new Date('2026-12-01T00:00:00Z');

describe('generatePostHogEvents', () => {
  it('is deterministic: the same seed gives the same events, another seed others', () => {
    const a = generatePostHogEvents({ count: 500, seed: 42, from, to });
    const b = generatePostHogEvents({ count: 500, seed: 42, from, to });
    const c = generatePostHogEvents({ count: 500, seed: 43, from, to });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('makes count events inside [from, to), oldest first, with unique v7 uuids and one token', () => {
    const events = generatePostHogEvents({ count: 2000, from, to, token: 'phc_test' });
    expect(events).toHaveLength(2000);
    const times = events.map((event) => Date.parse(event.timestamp!));
    expect(times.every((t) => t >= from.getTime() && t < to.getTime())).toBe(true);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(new Set(events.map((event) => event.uuid)).size).toBe(2000);
    expect(
      events.every((event) =>
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(event.uuid),
      ),
    ).toBe(true);
    expect(new Set(events.map((event) => event.token))).toEqual(new Set(['phc_test']));
  });

  it('sends web events as posthog-js does, autocapture with a chain, and custom events', () => {
    const events = generatePostHogEvents({ count: 3000, seed: 7, from, to });
    const names = new Set(events.map((event) => event.event));
    for (const name of ['$pageview', '$autocapture', '$pageleave', 'clicked_cta', 'purchase', 'signed_up'])
      expect(names).toContain(name);
    const pageview = events.find((event) => event.event === '$pageview')!;
    expect(pageview.properties).toMatchObject({
      $current_url: expect.stringMatching(/^https:\/\/app\.example\.com\//),
      $pathname: expect.stringMatching(/^\//),
      $browser: expect.any(String),
      $os: expect.any(String),
      $device_type: expect.any(String),
      $session_id: expect.any(String),
      $lib: 'web',
    });
    const click = events.find((event) => event.event === '$autocapture')!;
    expect(chainToElements(click.properties.$elements_chain as string)[0]).toMatchObject({
      tag_name: 'button',
    });
    const purchase = events.find((event) => event.event === 'purchase')!;
    expect(purchase.properties.amount).toEqual(expect.any(Number));
    const people = new Set(events.map((event) => event.distinct_id));
    expect(people.size).toBeGreaterThan(20);
    expect([...people].some((id) => id.startsWith('user-'))).toBe(true);
  });

  it('generates 100 000 events quickly, and the engine answers over them', () => {
    let started = performance.now();
    const events = generatePostHogEvents({ count: 100_000, seed: 3, from, to });
    const generateMs = performance.now() - started;
    expect(generateMs).toBeLessThan(3000);
    const store = createPostHogEventStore();
    store.insert(events);
    expect(store.count()).toBe(100_000);
    started = performance.now();
    const outcome = runPostHogQuery(
      store,
      {
        kind: 'HogQLQuery',
        query: 'select event, count() from events group by event order by count() desc limit 3',
      },
      { now: to },
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(outcome).toMatchObject({
      ok: true,
      body: { results: [['$pageview', expect.any(Number)], expect.any(Array), expect.any(Array)] },
    });
    const trend = runPostHogQuery(
      store,
      {
        kind: 'TrendsQuery',
        series: [{ kind: 'EventsNode', event: '$pageview', math: 'dau' }],
        dateRange: { date_from: '-30d' },
      },
      { now: new Date('2026-11-30T12:00:00Z') },
    );
    const data = trend.ok ? (trend.body.results as { data: number[] }[])[0]!.data : [];
    // 31 days from 31 October: the first has no events, every other has some.
    expect(data).toHaveLength(31);
    expect(data[0]).toBe(0);
    expect(data.slice(1).every((n) => n > 0)).toBe(true);
  });
});
