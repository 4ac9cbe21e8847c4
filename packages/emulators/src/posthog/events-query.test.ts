import { describe, expect, it } from 'vitest';
import type { CapturedEvent } from './capture.ts';
import { elementsToChain } from './elements-chain.ts';
import { createPostHogEventStore, personIdFor } from './event-store.ts';
import { runEventsQuery, SELECT_STAR_FROM_EVENTS_FIELDS } from './events-query.ts';
import { HogQLError } from './hogql-ast.ts';
import type { QueryContext } from './query-context.ts';

const context: QueryContext = {
  nowUs: Date.parse('2026-12-08T12:00:00Z') * 1000,
  teamId: 9,
  offsetAllowed: false,
};
const chain = elementsToChain([
  { tag_name: 'button', attr_class: ['btn'], text: 'Buy', nth_child: 1, nth_of_type: 1 },
]);

const e = (
  uuid: string,
  event: string,
  distinctId: string,
  timestamp: string,
  properties: Record<string, unknown> = {},
): CapturedEvent => ({
  uuid,
  event,
  distinct_id: distinctId,
  properties,
  timestamp,
  token: 'phc',
  path: '/batch/',
});

function sampleStore() {
  const store = createPostHogEventStore();
  store.insert(
    [
      e('e1', '$pageview', 'u1', '2026-12-08T10:00:00Z', { $browser: 'Chrome', $session_id: 's1' }),
      e('e2', '$autocapture', 'u1', '2026-12-08T10:05:00Z', { $elements_chain: chain, $browser: 'Chrome' }),
      e('e3', 'purchase', 'u2', '2026-12-08T11:00:00Z', { amount: 10 }),
      e('e4', '$pageview', 'u2', '2026-12-06T09:00:00Z', { $browser: 'Safari' }),
      e('e5', '$pageview', 'u3', '2026-12-08T12:00:03Z'),
      e('e6', '$pageview', 'u3', '2026-12-08T12:00:10Z'),
    ],
    { receivedAt: new Date('2026-12-08T12:00:00Z') },
  );
  return store;
}

const query = (node: Record<string, unknown>) =>
  runEventsQuery(sampleStore(), { kind: 'EventsQuery', ...node }, context);
const column = (body: Record<string, unknown>, index = 0) =>
  (body.results as unknown[][]).map((row) => row[index]);

function errorOf(node: Record<string, unknown>): HogQLError {
  try {
    query(node);
  } catch (error) {
    if (error instanceof HogQLError) return error;
    throw error;
  }
  throw new Error('expected a HogQLError');
}

describe('runEventsQuery: defaults', () => {
  it('covers the last 24 hours up to five seconds from now, newest first, 100 rows, hasMore false', () => {
    const body = query({ select: ['*', 'event', 'timestamp'] });
    expect(column(body, 1)).toEqual(['$pageview', 'purchase', '$autocapture', '$pageview']);
    expect(body).toMatchObject({
      columns: ['*', 'event', 'timestamp'],
      hasMore: false,
      limit: 100,
      offset: 0,
      nextCursor: null,
    });
    expect((body.types as string[]).slice(1)).toEqual(['String', "DateTime64(6, 'UTC')"]);
  });

  it("returns '*' as the event object PostHog builds, properties parsed, elements read from the chain", () => {
    const body = query({ select: ['*'], orderBy: ['timestamp ASC'] });
    const [first, second] = column(body) as Record<string, unknown>[];
    expect(Object.keys(first!)).toEqual([...SELECT_STAR_FROM_EVENTS_FIELDS]);
    expect(first).toEqual({
      uuid: 'e1',
      event: '$pageview',
      properties: { $browser: 'Chrome', $session_id: 's1', $has_recording: false },
      timestamp: '2026-12-08T10:00:00Z',
      team_id: 9,
      distinct_id: 'u1',
      elements_chain: '',
      created_at: '2026-12-08T12:00:00Z',
      person_mode: 'full',
    });
    expect(second).toMatchObject({
      elements_chain: chain,
      elements: [expect.objectContaining({ tag_name: 'button', text: 'Buy', attr_class: ['btn'], order: 0 })],
    });
  });
});

describe('runEventsQuery: window, filters and columns', () => {
  it('takes after and before, relative or absolute, and after: all', () => {
    expect(column(query({ select: ['uuid'], after: '-7d', orderBy: ['timestamp'] }))).toEqual([
      'e4',
      'e1',
      'e2',
      'e3',
      'e5',
    ]);
    expect(
      column(
        query({ select: ['uuid'], after: 'all', before: '2026-12-08T10:01:00Z', orderBy: ['timestamp'] }),
      ),
    ).toEqual(['e4', 'e1']);
  });

  it('filters by event, properties and HogQL where', () => {
    // Without timestamp in select, the default order is the first column, ascending.
    expect(column(query({ select: ['uuid'], event: '$pageview' }))).toEqual(['e1', 'e5']);
    expect(
      column(
        query({
          select: ['uuid'],
          properties: [{ key: '$browser', value: 'Chrome', operator: 'exact', type: 'event' }],
        }),
      ),
    ).toEqual(['e1', 'e2']);
    expect(column(query({ select: ['uuid'], where: ["distinct_id = 'u2'"] }))).toEqual(['e3']);
    expect(column(query({ select: ['uuid'], personId: personIdFor('u3') }))).toEqual(['e5']);
  });

  it('groups non-aggregated columns, orders by count() DESC, and moves aggregated where entries to HAVING', () => {
    const body = query({ select: ['event', 'count()'], where: ['count() > 0'] });
    expect(body.results).toEqual([
      ['$pageview', 2],
      ['$autocapture', 1],
      ['purchase', 1],
    ]);
    expect(query({ select: ['event', 'count()'], where: ['count() > 1'] }).results).toEqual([
      ['$pageview', 2],
    ]);
  });

  it('keeps raw column names (labels included), uses aliases, and turns person into { distinct_id }', () => {
    const body = query({
      select: ['properties.$browser -- Browser', 'count() as total', 'person'],
      orderBy: ['total DESC', 'distinct_id'],
    });
    expect(body.columns).toEqual(['properties.$browser -- Browser', 'total', 'person']);
    expect(body.results).toEqual([
      ['Chrome', 2, { distinct_id: 'u1' }],
      [null, 1, { distinct_id: 'u2' }],
      [null, 1, { distinct_id: 'u3' }],
    ]);
  });
});

describe('runEventsQuery: paging', () => {
  it('asks for one row more to say hasMore, and gives a timestamp cursor', () => {
    const first = query({ select: ['uuid', 'timestamp'], limit: 2 });
    expect(first).toMatchObject({
      hasMore: true,
      limit: 2,
      offset: 0,
      nextCursor: '2026-12-08T11:00:00+00:00',
    });
    expect(column(first)).toEqual(['e5', 'e3']);
    const second = query({ select: ['uuid', 'timestamp'], limit: 2, offset: 2 });
    expect(second).toMatchObject({ hasMore: false, offset: 2, nextCursor: null });
    expect(column(second)).toEqual(['e2', 'e1']);
  });

  it('caps limit at 50 000', () => {
    expect(query({ select: ['uuid'], limit: 100_000 }).limit).toBe(50_000);
  });
});

describe('runEventsQuery: refusals', () => {
  it('refuses a node without select as a schema error, and actions as unsupported', () => {
    expect(errorOf({}).code).toBe('parse_error');
    expect(errorOf({ select: ['*'], actionId: 3 }).message).toMatch(/stores no actions/);
    expect(errorOf({ select: ['nope'] }).message).toBe('Unable to resolve field: nope');
  });
});
