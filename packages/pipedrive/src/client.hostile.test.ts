// The client's public surface against every value a JavaScript caller could pass in every argument: each call
// resolves (never rejects, never leaves an unhandled rejection); a value it refuses is a typed error naming the
// field, before any request; a value it accepts reaches Pipedrive as a well-formed request on an API route.
import { type ApiResult, ERROR_CODES } from '@patchbay/core';
import { hostileValues, watchProcessFailures, withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { createFakePipedrive } from '../test-support/fake-pipedrive.ts';
import { createPipedriveClient, type PipedriveClient } from './client.ts';

const TOKEN = 'pipedrive-hostile-test';
const v = (value: unknown) => value as never;
type Call = [name: string, run: (client: PipedriveClient, value: unknown) => unknown];

const calls: Call[] = [
  ['persons.get(id)', (c, x) => c.persons.get(v(x))],
  ['persons.get(options)', (c, x) => c.persons.get(1, v(x))],
  ['persons.list(options)', (c, x) => c.persons.list(v(x))],
  ['persons.list({ cursor })', (c, x) => c.persons.list(v({ cursor: x }))],
  ['persons.search(term)', (c, x) => c.persons.search(v(x))],
  ['persons.search(options)', (c, x) => c.persons.search('ada', v(x))],
  ['persons.create(input)', (c, x) => c.persons.create(v(x))],
  ['persons.create({ name })', (c, x) => c.persons.create(v({ name: x }))],
  ['persons.create({ custom })', (c, x) => c.persons.create(v({ name: 'A', custom: x }))],
  [
    'persons.create({ custom: { externalId } })',
    (c, x) => c.persons.create(v({ name: 'A', custom: { externalId: x } })),
  ],
  ['persons.update(id)', (c, x) => c.persons.update(v(x), {})],
  ['persons.update(input)', (c, x) => c.persons.update(1, v(x))],
  ['persons.delete(id)', (c, x) => c.persons.delete(v(x))],
  ['deals.create(input)', (c, x) => c.deals.create(v(x))],
  ['activities.list(options)', (c, x) => c.activities.list(v(x))],
  ['notes.get(id)', (c, x) => c.notes.get(v(x))],
  ['notes.list(options)', (c, x) => c.notes.list(v(x))],
  ['leads.get(id)', (c, x) => c.leads.get(v(x))],
  ['leads.create(input)', (c, x) => c.leads.create(v(x))],
  ['registerWebhook(input)', (c, x) => c.registerWebhook(v(x))],
  ['deleteWebhook(id)', (c, x) => c.deleteWebhook(v(x))],
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
        const fake = createFakePipedrive({ token: TOKEN });
        const client = createPipedriveClient({
          apiToken: TOKEN,
          baseUrl: 'https://acme.pipedrive.test',
          fetch: fake.fetch,
          rateLimit: false,
          searchRateLimit: false,
          retry: false,
          customFields: { person: { externalId: 'External ID' } },
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
          const writes = fake.sent.filter((request) => !request.path.endsWith('Fields'));
          if (error.name !== 'IntegrationError' || !ERROR_CODES.includes(error.code)) {
            wrong.push(`${label}: untyped ${error.name} ${error.code}`);
          } else if (writes.length === 0 && (error.code !== 'VALIDATION_ERROR' || !error.field)) {
            wrong.push(`${label}: refused with ${error.code}, field ${error.field}`);
          }
        }
        for (const request of fake.sent) {
          expect(new URL(request.url).origin).toBe('https://acme.pipedrive.test');
          expect(new URL(request.url).pathname).toMatch(/^\/(api\/v2|v1)\/[\w-]+(\/[\w-]+)?$/);
        }
      }
      expect(wrong).toEqual([]);
      expect(await watch.stop()).toEqual([]);
    },
  );

  it('names the field of an input whose getter throws, and sends nothing', async () => {
    const fake = createFakePipedrive({ token: TOKEN });
    const client = createPipedriveClient({
      apiToken: TOKEN,
      baseUrl: 'https://acme.pipedrive.test',
      fetch: fake.fetch,
      rateLimit: false,
    });
    const result = await client.persons.create(withThrowingGetter({ name: 'Ada' }, 'owner_id'));
    expect(result.success || result.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(result.success || result.error.field).toContain('owner_id');
    expect(fake.sent).toEqual([]);
  });
});

describe('createPipedriveClient: hostile options', () => {
  it.each(hostileValues())('createPipedriveClient(%s) throws only CONFIG_ERROR', (_, value) => {
    expect(() => createPipedriveClient(value as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
  });

  it.each(hostileValues().filter(([label]) => label !== 'undefined'))(
    'an option of %s throws only CONFIG_ERROR, or builds a client',
    (_, value) => {
      for (const field of [
        'apiToken',
        'companyDomain',
        'baseUrl',
        'rateLimit',
        'searchRateLimit',
        'tokenBudget',
        'maxRetries',
        'oauth',
        'customFields',
      ]) {
        try {
          createPipedriveClient({ apiToken: TOKEN, companyDomain: 'acme', [field]: value } as never);
        } catch (error) {
          expect(error).toMatchObject({ code: 'CONFIG_ERROR' });
        }
      }
    },
  );

  it('names an option whose getter throws', () => {
    const options = withThrowingGetter({ apiToken: TOKEN, companyDomain: 'acme' }, 'customFields');
    expect(() => createPipedriveClient(options)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'customFields' }),
    );
  });
});
