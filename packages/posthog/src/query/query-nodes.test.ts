import { describe, expect, it } from 'vitest';
import { checkQueryNode } from './query-nodes.ts';

const refused = async (node: unknown) => {
  const result = await checkQueryNode(node);
  if (result.success) throw new Error('accepted');
  return result.error;
};

describe('checkQueryNode', () => {
  it('accepts the typed kinds, keeping every field PostHog knows as given', async () => {
    const trends = {
      kind: 'TrendsQuery',
      series: [{ kind: 'EventsNode', event: '$pageview', math: 'dau' }],
      dateRange: { date_from: '-7d' },
      interval: 'day',
      breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' },
      trendsFilter: { display: 'ActionsLineGraph' },
      samplingFactor: 0.1,
    };
    expect(await checkQueryNode(trends)).toEqual({
      success: true,
      data: { kind: 'TrendsQuery', node: trends },
    });
    const events = {
      kind: 'EventsQuery',
      select: ['*', 'event'],
      after: '-24h',
      orderBy: ['timestamp DESC'],
    };
    expect((await checkQueryNode(events)).success).toBe(true);
    const hogql = { kind: 'HogQLQuery', query: 'select {x}', values: { x: 1 }, modifiers: {} };
    expect((await checkQueryNode(hogql)).success).toBe(true);
  });

  it('passes other kinds through by their kind alone', async () => {
    const node = { kind: 'RetentionQuery', retentionFilter: { period: 'Week' } };
    expect(await checkQueryNode(node)).toEqual({ success: true, data: { kind: 'RetentionQuery', node } });
  });

  it.each([
    [{ kind: 'HogQLQuery', query: '' }, 'query.query'],
    [{ kind: 'HogQLQuery' }, 'query.query'],
    [{ kind: 'HogQLQuery', query: 'select 1', values: [1] }, 'query.values'],
    [{ kind: 'TrendsQuery', series: [] }, 'query.series'],
    [{ kind: 'TrendsQuery', series: [{ event: '$pageview' }] }, 'query.series.0.kind'],
    [{ kind: 'TrendsQuery', series: [{ kind: 'EventsNode' }], interval: 'fortnight' }, 'query.interval'],
    [{ kind: 'EventsQuery', select: [] }, 'query.select'],
    [{ kind: 'EventsQuery', select: ['*'], limit: -1 }, 'query.limit'],
    [{ kind: 'lowercase' }, 'query.kind'],
    [{}, 'query.kind'],
    [{ kind: 7 }, 'query.kind'],
  ])('refuses %j naming %s', async (node, field) => {
    expect(await refused(node)).toMatchObject({ code: 'VALIDATION_ERROR', field });
  });

  it.each([null, 'select 1', 42, [{ kind: 'HogQLQuery' }], undefined])(
    'refuses %j: not a query node',
    async (node) => {
      expect(await refused(node)).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: expect.stringMatching(/^query/),
      });
    },
  );

  it('refuses what JSON cannot carry (a BigInt), naming it', async () => {
    expect(await refused({ kind: 'HogQLQuery', query: 'select {n}', values: { n: 10n } })).toMatchObject({
      field: 'query.values.n',
    });
  });

  it('keeps the error of an input with 10 000 bad series bounded', async () => {
    const series = Array.from({ length: 10_000 }, () => ({ kind: 'Nope' }));
    const error = await refused({ kind: 'TrendsQuery', series });
    expect(error.issues?.length).toBeLessThanOrEqual(100);
  });
});
