import { describe, expect, it } from 'vitest';
import { createPostHogEventStore } from './event-store.ts';
import { runPostHogQuery } from './query-engine.ts';

const now = new Date('2026-12-08T12:00:00Z');
const store = createPostHogEventStore();
store.insert([
  {
    uuid: 'a',
    event: '$pageview',
    distinct_id: 'u',
    properties: {},
    timestamp: '2026-12-08T11:00:00Z',
    token: 'phc',
    path: '/batch/',
  },
]);

describe('runPostHogQuery', () => {
  it('dispatches HogQLQuery, TrendsQuery and EventsQuery to 200 bodies', () => {
    expect(
      runPostHogQuery(store, { kind: 'HogQLQuery', query: 'select count() from events' }, { now }),
    ).toMatchObject({
      ok: true,
      body: { results: [[1]] },
    });
    expect(
      runPostHogQuery(
        store,
        { kind: 'TrendsQuery', series: [{ kind: 'EventsNode', event: '$pageview' }] },
        { now },
      ),
    ).toMatchObject({
      ok: true,
      body: { results: [{ count: 1 }] },
    });
    expect(runPostHogQuery(store, { kind: 'EventsQuery', select: ['event'] }, { now })).toMatchObject({
      ok: true,
      body: { results: [['$pageview']] },
    });
  });

  it("answers HogQL errors as PostHog's 400 validation_error with the error's code", () => {
    expect(runPostHogQuery(store, { kind: 'HogQLQuery', query: 'select nope from events' }, { now })).toEqual(
      {
        ok: false,
        status: 400,
        body: {
          type: 'validation_error',
          code: 'hogql_query_error',
          detail: 'Unable to resolve field: nope',
          attr: null,
        },
      },
    );
    expect(runPostHogQuery(store, { kind: 'HogQLQuery', query: 'selec 1' }, { now })).toMatchObject({
      status: 400,
      body: { code: 'hogql_syntax_error' },
    });
  });

  it('refuses nodes that fail the schema, and kinds the emulator does not run', () => {
    expect(runPostHogQuery(store, { query: 'select 1' }, { now })).toMatchObject({
      status: 400,
      body: {
        type: 'validation_error',
        code: 'parse_error',
        detail: expect.stringMatching(/^JSON parse error - /),
      },
    });
    expect(runPostHogQuery(store, { kind: 'NoSuchQuery' }, { now })).toMatchObject({
      status: 400,
      body: { code: 'parse_error' },
    });
    expect(runPostHogQuery(store, { kind: 'FunnelsQuery', series: [] }, { now })).toMatchObject({
      status: 400,
      body: { code: 'invalid', detail: expect.stringContaining('does not run FunnelsQuery') },
    });
  });

  it('takes the team id for team_id', () => {
    expect(
      runPostHogQuery(
        store,
        { kind: 'HogQLQuery', query: 'select team_id from events' },
        { now, teamId: 42 },
      ),
    ).toMatchObject({
      body: { results: [[42]] },
    });
  });
});
