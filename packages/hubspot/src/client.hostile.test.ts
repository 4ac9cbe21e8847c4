// The client's public surface against every value a JavaScript caller could pass in every argument: each call
// resolves (never rejects, never leaves an unhandled rejection); a value it refuses is a VALIDATION_ERROR naming the
// field, before any request; a value it accepts reaches HubSpot as a well-formed request on a CRM route.
import { type ApiResult, ERROR_CODES } from '@patchbay/core';
import { hostileValues, watchProcessFailures, withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { createFakeHubSpot } from '../test-support/fake-hubspot.ts';
import { createHubSpotClient, type HubSpotClient } from './client.ts';

const TOKEN = 'pat-na1-hostile-test';
const v = (value: unknown) => value as never;
type Call = [name: string, run: (client: HubSpotClient, value: unknown) => unknown];

const calls: Call[] = [
  ['contacts.get(id)', (c, x) => c.contacts.get(v(x))],
  ['contacts.get(options)', (c, x) => c.contacts.get('1', v(x))],
  ['contacts.list(options)', (c, x) => c.contacts.list(v(x))],
  ['contacts.batchRead(ids)', (c, x) => c.contacts.batchRead(v(x))],
  ['contacts.batchRead([id])', (c, x) => c.contacts.batchRead(v([x]))],
  ['contacts.batchRead(options)', (c, x) => c.contacts.batchRead(['1'], v(x))],
  ['contacts.batchCreate(inputs)', (c, x) => c.contacts.batchCreate(v(x))],
  ['contacts.batchCreate([input])', (c, x) => c.contacts.batchCreate(v([x]))],
  ['contacts.batchCreate([{ properties }])', (c, x) => c.contacts.batchCreate(v([{ properties: x }]))],
  ['contacts.batchCreate(options)', (c, x) => c.contacts.batchCreate([{ properties: {} }], v(x))],
  ['contacts.batchUpdate([input])', (c, x) => c.contacts.batchUpdate(v([x]))],
  ['contacts.batchUpdate(options)', (c, x) => c.contacts.batchUpdate([{ id: '1', properties: {} }], v(x))],
  ['contacts.batchUpsert([input])', (c, x) => c.contacts.batchUpsert(v([x]), { idProperty: 'email' })],
  [
    'contacts.batchUpsert(options)',
    (c, x) => c.contacts.batchUpsert([{ id: 'a@b.c', properties: {} }], v(x)),
  ],
  ['contacts.archive(id)', (c, x) => c.contacts.archive(v(x))],
  ['contacts.batchArchive(ids)', (c, x) => c.contacts.batchArchive(v(x))],
  ['objects(type).get', (c, x) => c.objects(v(x)).get('1')],
  ['search(type)', (c, x) => c.search(v(x))],
  ['search(request)', (c, x) => c.search('contacts', v(x))],
  ['search(request.filterGroups)', (c, x) => c.search('contacts', v({ filterGroups: x }))],
  ['search(options)', (c, x) => c.search('contacts', {}, v(x))],
  ['associations.batchCreate(inputs)', (c, x) => c.associations.batchCreate('contacts', 'companies', v(x))],
  [
    'associations.batchCreateDefault(fromType)',
    (c, x) => c.associations.batchCreateDefault(v(x), 'companies', []),
  ],
  ['associations.batchRead(ids)', (c, x) => c.associations.batchRead('contacts', 'companies', v(x))],
  [
    'associations.batchRead(options)',
    (c, x) => c.associations.batchRead('contacts', 'companies', ['1'], v(x)),
  ],
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
        const fake = createFakeHubSpot({ token: TOKEN });
        const client = createHubSpotClient({
          accessToken: TOKEN,
          baseUrl: 'https://api.hubapi.test',
          fetch: fake.fetch,
          rateLimit: false,
          searchRateLimit: false,
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
          } else if (fake.sent.length === 0 && (error.code !== 'VALIDATION_ERROR' || !error.field)) {
            wrong.push(`${label}: refused with ${error.code}, field ${error.field}`);
          }
        }
        for (const request of fake.sent) {
          expect(new URL(request.url).origin).toBe('https://api.hubapi.test');
          expect(new URL(request.url).pathname).toMatch(
            /^\/crm\/(objects|associations)\/2026-03\/[\w%.-]+(\/[\w%.-]+)*$/,
          );
        }
      }
      expect(wrong).toEqual([]);
      expect(await watch.stop()).toEqual([]);
    },
  );

  it('names the field of an input whose getter throws, and sends nothing', async () => {
    const fake = createFakeHubSpot({ token: TOKEN });
    const client = createHubSpotClient({
      accessToken: TOKEN,
      baseUrl: 'https://api.hubapi.test',
      fetch: fake.fetch,
      rateLimit: false,
    });
    const input = { properties: withThrowingGetter({ email: 'a@b.c' }, 'firstname') };
    const result = await client.contacts.batchCreate([{ properties: {} }, input]);
    expect(result.success || result.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(result.success || result.error.field).toContain('firstname');
    expect(fake.sent).toEqual([]);
  });
});

describe('createHubSpotClient: hostile options', () => {
  it.each(hostileValues())('createHubSpotClient(%s) throws only CONFIG_ERROR', (_, value) => {
    expect(() => createHubSpotClient(value as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
  });

  it.each(hostileValues().filter(([label]) => label !== 'undefined'))(
    'an accessToken of %s throws only CONFIG_ERROR',
    (_, value) => {
      expect(() => createHubSpotClient({ accessToken: value as never })).toThrow(
        expect.objectContaining({ code: 'CONFIG_ERROR' }),
      );
    },
  );

  it.each(hostileValues().filter(([label]) => label !== 'undefined'))(
    'a rateLimit, searchRateLimit or apiVersion of %s throws only CONFIG_ERROR, or builds a client',
    (_, value) => {
      for (const field of ['rateLimit', 'searchRateLimit', 'apiVersion', 'maxRetries', 'baseUrl', 'oauth']) {
        try {
          createHubSpotClient({ accessToken: TOKEN, [field]: value } as never);
        } catch (error) {
          expect(error).toMatchObject({ code: 'CONFIG_ERROR' });
        }
      }
    },
  );

  it('names an option whose getter throws', () => {
    const options = withThrowingGetter({ accessToken: TOKEN }, 'apiVersion');
    expect(() => createHubSpotClient(options)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'apiVersion' }),
    );
  });
});
