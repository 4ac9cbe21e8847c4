// The client's public surface against every value a JavaScript caller could pass: each call resolves (never
// rejects, never leaves an unhandled rejection); a value it refuses is a typed error naming the field, before any
// request; a value it accepts reaches Exact as a well-formed request on an API route of the client's origin.
import { type ApiResult, ERROR_CODES, ok, toSecret } from '@patchbay/core';
import { createMemoryOAuth2TokenStore } from '@patchbay/core/oauth';
import { createMemoryStore } from '@patchbay/core/store';
import { hostileValues, watchProcessFailures, withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { BASE, createFakeExact } from '../test-support/fake-exact.ts';
import { createExactClient, type ExactClient } from './client.ts';

const v = (value: unknown) => value as never;
type Call = [name: string, run: (client: ExactClient, value: unknown) => unknown];

const calls: Call[] = [
  ['accounts.list(options)', (c, x) => c.accounts.list(v(x))],
  ['accounts.list({ select })', (c, x) => c.accounts.list(v({ select: x }))],
  ['accounts.list({ select: [x] })', (c, x) => c.accounts.list(v({ select: [x] }))],
  ['accounts.list({ filter })', (c, x) => c.accounts.list(v({ filter: x }))],
  ['accounts.list({ orderBy })', (c, x) => c.accounts.list(v({ orderBy: x }))],
  ['accounts.list({ top })', (c, x) => c.accounts.list(v({ top: x }))],
  ['accounts.list({ signal })', (c, x) => c.accounts.list(v({ signal: x }))],
  ['accounts.bulk(options)', (c, x) => c.accounts.bulk(v(x))],
  ['accounts.get(id)', (c, x) => c.accounts.get(v(x))],
  ['accounts.get(id, options)', (c, x) => c.accounts.get('00000000-0000-4000-8000-000000000001', v(x))],
  ['contacts.list(options)', (c, x) => c.contacts.list(v(x))],
  ['divisions(options)', (c, x) => c.divisions(v(x))],
  ['salesInvoices.get(id)', (c, x) => c.salesInvoices.get(v(x))],
  ['salesInvoices.lines(invoiceId)', (c, x) => c.salesInvoices.lines(v(x))],
  [
    'salesInvoices.lines(invoiceId, options)',
    (c, x) => c.salesInvoices.lines('00000000-0000-4000-8000-000000000001', v(x)),
  ],
  [
    'salesInvoices.lines(invoiceId, { filter })',
    (c, x) => c.salesInvoices.lines('00000000-0000-4000-8000-000000000001', v({ filter: x })),
  ],
  ['transactionLines.bulk(options)', (c, x) => c.transactionLines.bulk(v(x))],
  ['accounts.sync(options)', (c, x) => c.accounts.sync(v(x))],
  ['accounts.sync({ since })', (c, x) => c.accounts.sync(v({ since: x }))],
  ['inDivision(n).accounts.list()', (c, x) => c.inDivision(v(x)).accounts.list()],
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
        const fake = createFakeExact();
        const client = createExactClient({
          oauth: { getAccessToken: async () => ok(toSecret(fake.accessToken)) },
          division: 1,
          fetch: fake.fetch,
          rateLimit: false,
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
          } else if (fake.requests.length === 0 && (error.code !== 'VALIDATION_ERROR' || !error.field)) {
            wrong.push(`${label}: refused with ${error.code}, field ${error.field}`);
          }
        }
        for (const request of fake.requests) {
          expect(request.url.origin).toBe(BASE);
          expect(request.url.pathname).toMatch(/^\/api\/v1\/\d+\/[\w/]+$/);
        }
      }
      expect(wrong).toEqual([]);
      expect(await watch.stop()).toEqual([]);
    },
  );

  it('names the option whose getter throws, and sends nothing', async () => {
    const fake = createFakeExact();
    const client = createExactClient({
      oauth: { getAccessToken: async () => ok(toSecret(fake.accessToken)) },
      division: 1,
      fetch: fake.fetch,
    });
    const pages = client.accounts.list(withThrowingGetter({ top: 1 }, 'select'));
    const page = await settle(pages);
    expect(page.success || page.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(fake.requests).toEqual([]);
  });
});

describe('createExactClient: hostile options', () => {
  const oauth = { clientId: 'app', clientSecret: 'secret', tokens: createMemoryOAuth2TokenStore() };

  it.each(hostileValues())('createExactClient(%s) throws only CONFIG_ERROR', (_, value) => {
    expect(() => createExactClient(value as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
  });

  it.each(hostileValues().filter(([label]) => label !== 'undefined'))(
    'an option of %s throws only CONFIG_ERROR, or builds a client',
    (_, value) => {
      for (const field of [
        'region',
        'baseUrl',
        'oauth',
        'store',
        'division',
        'rateLimit',
        'errorBudget',
        'maxRetries',
        'fetch',
        'headers',
        'logger',
        'hooks',
        'timeoutMs',
        'retry',
      ]) {
        try {
          createExactClient({ oauth, store: createMemoryStore(), [field]: value } as never);
        } catch (error) {
          expect(error).toMatchObject({ code: 'CONFIG_ERROR' });
        }
      }
      for (const field of [
        'clientId',
        'clientSecret',
        'tokens',
        'connection',
        'maxTokenCallsPerDay',
        'refreshMarginMs',
      ]) {
        try {
          createExactClient({ oauth: { ...oauth, [field]: value }, store: createMemoryStore() } as never);
        } catch (error) {
          expect(error).toMatchObject({ code: 'CONFIG_ERROR' });
        }
      }
    },
  );

  it('names an option whose getter throws', () => {
    const options = withThrowingGetter({ oauth, store: createMemoryStore() }, 'division');
    expect(() => createExactClient(options as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'division' }),
    );
    const nested = { oauth: withThrowingGetter(oauth, 'clientSecret'), store: createMemoryStore() };
    expect(() => createExactClient(nested)).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });
});
