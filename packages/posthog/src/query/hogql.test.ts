import { describe, expect, it } from 'vitest';
import { hogqlAnswer, json, testClient } from '../../test-support/query-fetch.ts';
import { hogQLNode } from './hogql.ts';

describe('hogql', () => {
  it("sends the SQL as it is and the values as HogQL's placeholders, never spliced in", async () => {
    const { client, seen } = testClient(() => json(hogqlAnswer([['$pageview', 12]], ['event', 'count()'])));
    const sql =
      'select event, count() from events where event = {event} and properties.plan = {plan} group by event';
    const values = { event: "$pageview' OR 1=1 --", plan: { nested: ['x'] } };
    const result = await client.hogql<[string, number]>(sql, { values });
    expect(result).toEqual({
      success: true,
      data: {
        columns: ['event', 'count()'],
        rows: [['$pageview', 12]],
        types: [
          ['event', 'String'],
          ['count()', 'String'],
        ],
        hasMore: false,
      },
    });
    expect(seen[0]?.body?.query).toEqual({ kind: 'HogQLQuery', query: sql, values });
  });

  it('sends no values when none are given, and reads a minimal answer', async () => {
    const { client, seen } = testClient(() => json({ results: [] }));
    expect(await client.hogql('select 1')).toEqual({
      success: true,
      data: { columns: [], rows: [], types: [], hasMore: false },
    });
    expect(seen[0]?.body?.query).toEqual({ kind: 'HogQLQuery', query: 'select 1' });
  });

  it('says when PostHog cut the rows at its limit', async () => {
    const { client } = testClient(() => json({ ...hogqlAnswer([[1]]), hasMore: true }));
    const result = await client.hogql('select 1 from events');
    expect(result.success && result.data.hasMore).toBe(true);
  });

  it("answers a HogQL error (400 validation_error) as VALIDATION_ERROR with PostHog's detail", async () => {
    const { client, seen } = testClient(() =>
      json(
        { type: 'validation_error', code: 'syntax_error', detail: 'Syntax error at line 1', attr: null },
        400,
      ),
    );
    const result = await client.hogql('selec 1');
    expect(result).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', status: 400 } });
    expect(!result.success && result.error.message).toContain('Syntax error at line 1');
    expect(seen).toHaveLength(1);
  });
});

describe('hogQLNode', () => {
  it.each([
    [undefined, 'sql'],
    ['', 'sql'],
    ['   ', 'sql'],
    [42, 'sql'],
  ])('refuses the SQL %j', (sql, field) => {
    expect(hogQLNode(sql, undefined)).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field },
    });
  });

  it.each([
    [[1, 2], 'options.values'],
    ['x', 'options.values'],
    [{ 'not an identifier': 1 }, 'options.values'],
    [{ '1st': 1 }, 'options.values'],
    [{ ok: () => 1 }, 'options.values.ok'],
    [{ ok: Number.NaN }, 'options.values.ok'],
  ])('refuses the values %j', (values, field) => {
    expect(hogQLNode('select 1', values)).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field },
    });
  });

  it('sends a copy read once: a getter that changes later changes nothing', () => {
    let reads = 0;
    const values = {
      get event() {
        reads += 1;
        return reads === 1 ? 'first' : 'second';
      },
    };
    const node = hogQLNode('select {event}', values);
    expect(node).toEqual({
      success: true,
      data: { kind: 'HogQLQuery', query: 'select {event}', values: { event: 'first' } },
    });
  });
});
