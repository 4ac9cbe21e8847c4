// The reading client's public surface against every value a JavaScript caller could pass in every argument: each
// call resolves (never rejects, never leaves an unhandled rejection); a value it refuses is a VALIDATION_ERROR
// naming the field, before any request; a value it accepts reaches PostHog as a well-formed query request.
import { type ApiResult, ERROR_CODES } from '@patchbay/core';
import { hostileValues, watchProcessFailures, withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { hogqlAnswer, json, QUERY_PATH, TEST_HOST, testClient } from '../../test-support/query-fetch.ts';
import type { PostHogClient } from './client.ts';
import { createPostHogClient } from './client.ts';

type Call = [name: string, run: (client: PostHogClient, value: unknown) => unknown];
const v = (value: unknown) => value as never;
const AFTER = '2026-12-01';

const calls: Call[] = [
  ['query(node)', (c, x) => c.query(v(x))],
  ['query(options)', (c, x) => c.query({ kind: 'HogQLQuery', query: 'select 1' }, v(x))],
  ['query({ kind })', (c, x) => c.query(v({ kind: x }))],
  ['query(HogQLQuery.values)', (c, x) => c.query(v({ kind: 'HogQLQuery', query: 'select 1', values: x }))],
  ['query(TrendsQuery.series)', (c, x) => c.query(v({ kind: 'TrendsQuery', series: x }))],
  ['hogql(sql)', (c, x) => c.hogql(v(x))],
  ['hogql(options)', (c, x) => c.hogql('select 1', v(x))],
  ['hogql(options.values)', (c, x) => c.hogql('select 1', { values: v(x) })],
  ['hogql(options.signal)', (c, x) => c.hogql('select 1', { signal: v(x) })],
  ['hogql(options.refresh)', (c, x) => c.hogql('select 1', { refresh: v(x) })],
  ['trends(options)', (c, x) => c.trends(v(x))],
  ['trends(options.series)', (c, x) => c.trends({ series: v(x) })],
  ['trends(options.series[0])', (c, x) => c.trends({ series: v([x]) })],
  ['trends(options.breakdown)', (c, x) => c.trends({ series: [{ event: '$pageview' }], breakdown: v(x) })],
  ['trends(options.dateRange)', (c, x) => c.trends({ series: [{ event: '$pageview' }], dateRange: v(x) })],
  ['getTotalPageViews(options)', (c, x) => c.getTotalPageViews(v(x))],
  ['getTotalPageViews(options.days)', (c, x) => c.getTotalPageViews({ days: v(x) })],
  ['events(options)', (c, x) => c.events(v(x))],
  ['events(options.after)', (c, x) => c.events({ after: v(x) })],
  ['events(options.before)', (c, x) => c.events({ after: AFTER, before: v(x) })],
  ['events(options.event)', (c, x) => c.events({ after: AFTER, event: v(x) })],
  ['events(options.properties)', (c, x) => c.events({ after: AFTER, properties: v(x) })],
  ['events(options.pageSize)', (c, x) => c.events({ after: AFTER, pageSize: v(x) })],
];

async function settle(outcome: unknown): Promise<ApiResult<unknown>> {
  if (typeof outcome === 'object' && outcome !== null && Symbol.asyncIterator in outcome) {
    for await (const page of outcome as AsyncIterable<ApiResult<unknown>>) return page;
    return { success: true, data: [] };
  }
  return outcome as Promise<ApiResult<unknown>>;
}

describe('client: hostile arguments', () => {
  it.each(calls)(
    '%s resolves for every hostile value: refused by field, or sent well-formed',
    async (_, run) => {
      const watch = watchProcessFailures();
      const wrong: string[] = [];
      for (const [label, value] of hostileValues()) {
        const { client, seen } = testClient(() => json(hogqlAnswer([[1]])), {
          rateLimits: false,
          retry: false,
        });
        let result: ApiResult<unknown>;
        try {
          result = await settle(run(client, value));
        } catch (error) {
          wrong.push(`${label}: threw ${String(error)}`);
          continue;
        }
        if (!result.success) {
          const { error } = result;
          if (error.name !== 'IntegrationError' || !ERROR_CODES.includes(error.code)) {
            wrong.push(`${label}: untyped ${error.name} ${error.code}`);
          } else if (seen.length === 0 && (error.code !== 'VALIDATION_ERROR' || !error.field)) {
            wrong.push(`${label}: refused with ${error.code}, field ${error.field}`);
          }
        }
        for (const request of seen) {
          // Whatever was sent went to the query endpoint of the configured project, with a JSON query node.
          expect(request.url.startsWith(`${TEST_HOST}${QUERY_PATH}`)).toBe(true);
          if (request.method === 'POST')
            expect(request.body?.query).toMatchObject({ kind: expect.any(String) });
        }
      }
      expect(wrong).toEqual([]);
      expect(await watch.stop()).toEqual([]);
    },
  );

  it('names the field of a query node whose getter throws, and sends nothing', async () => {
    const { client, seen } = testClient(() => json(hogqlAnswer([[1]])));
    const node = withThrowingGetter({ kind: 'HogQLQuery', query: 'select 1' }, 'values');
    expect(await client.query(node)).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field: 'query.values' },
    });
    expect(seen).toEqual([]);
  });

  it('sends the copy it checked: a getter that answers differently later changes nothing', async () => {
    const { client, seen } = testClient(() => json(hogqlAnswer([[1]])));
    let reads = 0;
    const node = {
      kind: 'HogQLQuery',
      get query() {
        return reads++ === 0 ? 'select 1' : '';
      },
    };
    expect((await client.query(node)).success).toBe(true);
    expect(seen[0]?.body?.query).toEqual({ kind: 'HogQLQuery', query: 'select 1' });
  });
});

describe('createPostHogClient: hostile options', () => {
  it.each(hostileValues())('createPostHogClient(%s) throws only CONFIG_ERROR', (_, value) => {
    expect(() => createPostHogClient(value as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
  });

  it.each(hostileValues().filter(([label]) => label !== 'undefined'))(
    'a personalApiKey of %s throws only CONFIG_ERROR naming personalApiKey',
    (_, value) => {
      expect(() => createPostHogClient({ personalApiKey: value as never, projectId: 1 })).toThrow(
        expect.objectContaining({ code: 'CONFIG_ERROR', field: 'personalApiKey' }),
      );
    },
  );

  it.each(hostileValues().filter(([label]) => label !== 'a number'))(
    'a projectId of %s throws only CONFIG_ERROR naming projectId',
    (_, value) => {
      expect(() => createPostHogClient({ personalApiKey: 'phx_1', projectId: value as never })).toThrow(
        expect.objectContaining({ code: 'CONFIG_ERROR', field: expect.stringMatching(/^projectId/) }),
      );
    },
  );

  it.each(hostileValues())(
    'rateLimits, retry, poll, hooks and host of %s make a client or throw only CONFIG_ERROR',
    (_, value) => {
      for (const key of ['rateLimits', 'retry', 'poll', 'hooks', 'logger', 'host']) {
        try {
          createPostHogClient({ personalApiKey: 'phx_1', projectId: 1, [key]: value } as never);
        } catch (error) {
          expect(error).toMatchObject({
            code: 'CONFIG_ERROR',
            field: expect.stringMatching(new RegExp(`^${key}`)),
          });
        }
      }
    },
  );

  it.each(hostileValues().filter(([label]) => label !== 'undefined'))(
    'a host of %s throws CONFIG_ERROR naming host',
    (_, value) => {
      expect(() =>
        createPostHogClient({ personalApiKey: 'phx_1', projectId: 1, host: value as never }),
      ).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR', field: 'host' }));
    },
  );

  it('names an option whose getter throws', () => {
    const options = withThrowingGetter({ personalApiKey: 'phx_1', projectId: 1 }, 'rateLimits');
    expect(() => createPostHogClient(options)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'rateLimits' }),
    );
  });
});
